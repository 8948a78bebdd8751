import { publicHandler } from '../lib/http/middleware.js';
import * as requests from '../lib/requests.js';
import { login } from '../lib/sessions.js';

export const handler = publicHandler('login', requests.login, async ({ body }) => ({
  status: 200,
  body: await login(body.account, body.username, body.password),
}));
