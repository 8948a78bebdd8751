import { listEmployees } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('employees-list', async ({ query, user }) => ({
  status: 200,
  body: await listEmployees(user.accountId, query),
}));
