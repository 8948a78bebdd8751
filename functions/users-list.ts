import { httpHandler } from '../lib/http/authorize.js';
import { listUsers } from '../lib/user-store.js';

export const handler = httpHandler('users-list', async ({ query, user }) => ({
  status: 200,
  body: await listUsers(user.accountId, query),
}));
