import { accountSummary } from '../lib/account-store.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';
import { toPublicUser } from '../lib/user-store.js';

export const handler = httpHandler('me', requests.none, async ({ user, account }) => ({
  status: 200,
  body: { user: toPublicUser(user), account: accountSummary(account) },
}));
