import { httpHandler } from '../lib/http/authorize.js';
import { getPublicUser } from '../lib/user-store.js';

export const handler = httpHandler('users-get', async ({ params, user }) => ({
  status: 200,
  body: await getPublicUser(user.accountId, params.id),
}));
