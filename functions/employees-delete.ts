import { deleteEmployee } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('employees-delete', async ({ params, user }) => {
  await deleteEmployee(user.accountId, params.id, user);
  return { status: 204 };
});
