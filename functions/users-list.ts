import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';
import { listUsers } from '../lib/user-store.js';

export const handler = httpHandler('users-list', requests.usersList, async ({ query, user }) => ({
  status: 200,
  body: await listUsers(user.accountId, query),
}));
