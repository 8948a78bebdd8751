import { z } from 'zod';
import { httpHandler } from '../lib/http/middleware.js';
import { email, idParams, password, username } from '../lib/schemas.js';
import { updateUser } from '../lib/users.js';

const body = z
  .strictObject({
    username: username.optional(),
    password: password.optional(),
    admin: z.boolean().optional(),
    email: email.nullable().optional(),
  })
  .refine(
    (b) => Object.keys(b).length > 0,
    'Give at least one of username, password, admin, email',
  );

export const handler = httpHandler(
  'users-update',
  { body, params: idParams },
  async ({ body, params, user }) => ({
    status: 200,
    body: await updateUser(user.accountId, params.id, body, user),
  }),
);
