import { accountDetails } from '../lib/account-store.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler('account', requests.none, async ({ account }) => ({
  status: 200,
  body: accountDetails(account),
}));
