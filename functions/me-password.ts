import { httpHandler } from '../lib/http/middleware.js';
import { changeOwnPassword } from '../lib/sessions.js';

export const handler = httpHandler('me-password', async ({ body, user }) => ({
  status: 200,
  body: await changeOwnPassword(user, body.currentPassword, body.newPassword),
}));
