import type { Prefetched } from '../lib/db.js';
import { deleteEmployee, type EmployeeItem } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('employees-delete', async ({ params, user, target }) => {
  await deleteEmployee(user.accountId, params.id, user, target as Prefetched<EmployeeItem>);
  return { status: 204 };
});
