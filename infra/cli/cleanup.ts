/**
 * `npm run cleanup`: remove expired and used reset tokens now, as the hourly job does.
 * Local stack by default; AWS with --table NAME [--region R].
 */
import { parseArgs } from 'node:util';
import { cleanupResetTokens } from '../../lib/reset-cleanup.js';
import { describeTargetError, TARGET_OPTIONS, useTarget } from './target.js';

try {
  const { values } = parseArgs({ options: TARGET_OPTIONS, strict: true });
  useTarget(values);
  process.stdout.write(`${JSON.stringify(await cleanupResetTokens())}\n`);
} catch (err) {
  const e = err as Error;
  process.stderr.write(`${describeTargetError(e) ?? `${e.name}: ${e.message}`}\n`);
  process.exit(1);
}
