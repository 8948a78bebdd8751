/**
 * `npm run openapi [-- FILE]`: write the OpenAPI document (default openapi.json, the copy the
 * `GET /v1/openapi.json` function serves; run this after changing the contract).
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument, serialise } from '../lib/openapi.js';

const file = process.argv[2] ?? 'openapi.json';
writeFileSync(file, serialise(openApiDocument()));
console.log(`Wrote ${file}`);
