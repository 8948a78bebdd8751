import { z } from 'zod';
import { httpHandler } from '../lib/http/middleware.js';
import { listQuery } from '../lib/schemas.js';
import { listUsers } from '../lib/users.js';

const query = listQuery.extend({
  q: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9._@-]*$/, 'Use letters, digits or . _ - @')
    .optional(),
});

export const handler = httpHandler('users-list', { query }, async ({ query, user }) => ({
  status: 200,
  body: await listUsers(user.accountId, query),
}));
