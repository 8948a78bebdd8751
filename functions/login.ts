import { z } from 'zod';
import { httpHandler } from '../lib/http/middleware.js';
import { login } from '../lib/sessions.js';

const body = z.strictObject({
  account: z.string().min(1).max(64),
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const handler = httpHandler('login', { body }, async ({ body }) => ({
  status: 200,
  body: await login(body.account, body.username, body.password),
}));
