import { publicHandler } from '../lib/http/middleware.js';
import * as requests from '../lib/requests.js';
import document from '../openapi.json' with { type: 'json' };

/**
 * Serves the committed openapi.json (`npm run openapi` writes it; a test fails when it differs
 * from what lib/openapi.ts generates), so this function carries neither the generator nor the
 * response schemas.
 */
export const handler = publicHandler('openapi', requests.none, async () => ({
  status: 200,
  body: document,
  headers: { 'cache-control': 'public, max-age=300' },
}));
