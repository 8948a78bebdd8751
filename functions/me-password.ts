import { httpHandler } from '../lib/http/authorize.js';
import { changeOwnPassword } from '../lib/own-password.js';

export const handler = httpHandler('me-password', async ({ body, user }) => ({
  status: 200,
  body: await changeOwnPassword(user, body.currentPassword, body.newPassword),
}));
