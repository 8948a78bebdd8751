import type { Prefetched } from '../lib/db.js';
import { deleteEmployee, type EmployeeItem } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler(
  'employees-delete',
  requests.byId,
  async ({ params, user, target }) => {
    await deleteEmployee(user.accountId, params.id, user, target as Prefetched<EmployeeItem>);
    return { status: 204 };
  },
);
