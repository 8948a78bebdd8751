import { listAudit } from '../lib/audit.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';

export const handler = httpHandler('audit-log', requests.page, async ({ query, user }) => ({
  status: 200,
  body: await listAudit(user.accountId, query.limit, query.cursor),
}));
