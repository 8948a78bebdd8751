import { publicHandler } from '../lib/http/middleware.js';
import { resetPassword } from '../lib/reset.js';

export const handler = publicHandler('reset-password', async ({ body }) => {
  await resetPassword(body.token, body.newPassword);
  return { status: 204 };
});
