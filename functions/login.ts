import { publicHandler } from '../lib/http/middleware.js';
import { login } from '../lib/sessions.js';

export const handler = publicHandler('login', async ({ body }) => ({
  status: 200,
  body: await login(body.account, body.username, body.password),
}));
