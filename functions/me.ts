import { accountSummary } from '../lib/account-store.js';
import { httpHandler } from '../lib/http/authorize.js';
import { toPublicUser } from '../lib/user-store.js';

export const handler = httpHandler('me', async ({ user, account }) => ({
  status: 200,
  body: { user: toPublicUser(user), account: accountSummary(account) },
}));
