import { listAudit } from '../lib/audit.js';
import { httpHandler } from '../lib/http/middleware.js';
import { listQuery } from '../lib/schemas.js';

export const handler = httpHandler('audit-log', { query: listQuery }, async ({ query, user }) => ({
  status: 200,
  body: await listAudit(user.accountId, query.limit, query.cursor),
}));
