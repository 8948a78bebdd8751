import { httpHandler } from '../lib/http/middleware.js';
import { idParams } from '../lib/schemas.js';
import { getPublicUser } from '../lib/users.js';

export const handler = httpHandler('users-get', { params: idParams }, async ({ params, user }) => ({
  status: 200,
  body: await getPublicUser(user.accountId, params.id),
}));
