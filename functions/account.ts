import { accountDetails } from '../lib/account-store.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('account', async ({ account }) => ({
  status: 200,
  body: accountDetails(account),
}));
