import { logout } from '../lib/auth.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('logout', async ({ user }) => {
  await logout(user);
  return { status: 204 };
});
