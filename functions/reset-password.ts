import { z } from 'zod';
import { httpHandler } from '../lib/http/middleware.js';
import { resetPassword } from '../lib/reset.js';
import { password } from '../lib/schemas.js';

const body = z.strictObject({ token: z.string().min(1).max(256), newPassword: password });

export const handler = httpHandler('reset-password', { body }, async ({ body }) => {
  await resetPassword(body.token, body.newPassword);
  return { status: 204 };
});
