import { httpHandler } from '../lib/http/authorize.js';
import { deleteUser } from '../lib/users.js';

export const handler = httpHandler('users-delete', async ({ params, user }) => {
  await deleteUser(user.accountId, params.id, user);
  return { status: 204 };
});
