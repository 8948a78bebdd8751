import { createEmployee } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler(
  'employees-create',
  requests.employeesCreate,
  async ({ body, user }) => {
    const created = await createEmployee(user.accountId, body, user);
    return { status: 201, body: created, headers: { location: `/v1/employees/${created.id}` } };
  },
);
