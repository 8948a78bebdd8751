import { accountSummary } from '../lib/accounts.js';
import { httpHandler } from '../lib/http/middleware.js';
import { toPublicUser } from '../lib/users.js';

export const handler = httpHandler('me', async ({ user, account }) => ({
  status: 200,
  body: { user: toPublicUser(user), account: accountSummary(account) },
}));
