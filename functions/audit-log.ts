import { listAudit } from '../lib/audit.js';
import { httpHandler } from '../lib/http/authorize.js';

export const handler = httpHandler('audit-log', async ({ query, user }) => ({
  status: 200,
  body: await listAudit(user.accountId, query.limit, query.cursor),
}));
