import { publicHandler } from '../lib/http/middleware.js';
import * as requests from '../lib/requests.js';
import { resetPassword } from '../lib/reset.js';

export const handler = publicHandler('reset-password', requests.resetPassword, async ({ body }) => {
  await resetPassword(body.token, body.newPassword);
  return { status: 204 };
});
