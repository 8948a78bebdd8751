import { updateEmployee } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('employees-update', async ({ body, params, user }) => ({
  status: 200,
  body: await updateEmployee(user.accountId, params.id, body, user),
}));
