import { httpHandler } from '../lib/http/authorize.js';
import { changeOwnPassword } from '../lib/own-password.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler('me-password', requests.mePassword, async ({ body, user }) => ({
  status: 200,
  body: await changeOwnPassword(user, body.currentPassword, body.newPassword),
}));
