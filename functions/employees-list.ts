import { listEmployees } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler('employees-list', requests.page, async ({ query, user }) => ({
  status: 200,
  body: await listEmployees(user.accountId, query),
}));
