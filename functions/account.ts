import { accountDetails } from '../lib/accounts.js';
import { httpHandler } from '../lib/http/middleware.js';

export const handler = httpHandler('account', async ({ account }) => ({
  status: 200,
  body: accountDetails(account),
}));
