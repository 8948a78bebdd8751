import type { Prefetched } from '../lib/db.js';
import { type EmployeeItem, updateEmployee } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler(
  'employees-update',
  requests.employeesUpdate,
  async ({ body, params, user, target }) => ({
    status: 200,
    body: await updateEmployee(
      user.accountId,
      params.id,
      body,
      user,
      target as Prefetched<EmployeeItem>,
    ),
  }),
);
