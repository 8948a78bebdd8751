import { logout } from '../lib/auth.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler('logout', requests.none, async ({ user }) => {
  await logout(user);
  return { status: 204 };
});
