/** `npm run openapi [-- FILE]`: write the OpenAPI document (default openapi.json). */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../lib/openapi.js';

const file = process.argv[2] ?? 'openapi.json';
writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`Wrote ${file}`);
