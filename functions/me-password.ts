import { z } from 'zod';
import { httpHandler } from '../lib/http/middleware.js';
import { password } from '../lib/schemas.js';
import { changeOwnPassword } from '../lib/sessions.js';

const body = z.strictObject({ currentPassword: password, newPassword: password });

export const handler = httpHandler('me-password', { body }, async ({ body, user }) => ({
  status: 200,
  body: await changeOwnPassword(user, body.currentPassword, body.newPassword),
}));
