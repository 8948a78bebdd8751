import { httpHandler } from '../lib/http/middleware.js';
import { logout } from '../lib/sessions.js';

export const handler = httpHandler('logout', async ({ user }) => {
  await logout(user);
  return { status: 204 };
});
