import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';
import { createUser } from '../lib/users.js';

export const handler = httpHandler('users-create', requests.usersCreate, async ({ body, user }) => {
  const created = await createUser(user.accountId, body, user);
  return { status: 201, body: created, headers: { location: `/v1/users/${created.id}` } };
});
