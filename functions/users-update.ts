import { httpHandler } from '../lib/http/authorize.js';
import { updateUser } from '../lib/users.js';

export const handler = httpHandler('users-update', async ({ body, params, user }) => ({
  status: 200,
  body: await updateUser(user.accountId, params.id, body, user),
}));
