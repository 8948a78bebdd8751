import { createEmployee } from '../lib/employees.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('employees-create', async ({ body, user }) => {
  const created = await createEmployee(user.accountId, body, user);
  return { status: 201, body: created, headers: { location: `/v1/employees/${created.id}` } };
});
