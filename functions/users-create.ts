import { z } from 'zod';
import { httpHandler } from '../lib/http/middleware.js';
import { email, password, username } from '../lib/schemas.js';
import { createUser } from '../lib/users.js';

const body = z.strictObject({
  username,
  password,
  admin: z.boolean().default(false),
  email: email.optional(),
});

export const handler = httpHandler('users-create', { body }, async ({ body, user }) => {
  const created = await createUser(user.accountId, body, user);
  return { status: 201, body: created, headers: { location: `/v1/users/${created.id}` } };
});
