import { publicHandler } from '../lib/http/middleware.js';
import { openApiDocument } from '../lib/openapi.js';

let document: unknown;

export const handler = publicHandler('openapi', async () => {
  // Built on first request, then reused by the warm function.
  document ??= openApiDocument();
  return { status: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
});
