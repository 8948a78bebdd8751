/**
 * Where an operator command points lib/: the running local stack by default, AWS with
 * `--table NAME` (or TABLE_NAME) and the operator's normal credentials.
 */
import { LOCAL_TABLE, localPorts } from '../local/env.js';

export type TargetFlags = { table?: string; region?: string; endpoint?: string };

/** The CLI flags every operator command accepts for choosing its target. */
export const TARGET_OPTIONS = {
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

/** Point lib/ (through process.env, read on use) at the chosen table. */
export function useTarget(flags: TargetFlags): void {
  const table = flags.table ?? process.env.TABLE_NAME;
  if (flags.region) process.env.AWS_REGION = flags.region;
  if (table) {
    process.env.TABLE_NAME = table;
    if (flags.endpoint) process.env.DYNAMODB_ENDPOINT = flags.endpoint;
    return;
  }
  process.env.TABLE_NAME = LOCAL_TABLE;
  process.env.DYNAMODB_ENDPOINT = flags.endpoint ?? `http://127.0.0.1:${localPorts().dynamo}`;
}

/** One line for an operator when the target cannot be reached. */
export function describeTargetError(err: Error): string | undefined {
  if (/ECONNREFUSED/.test(String(err.message)) || err.name === 'TimeoutError') {
    return 'Cannot reach DynamoDB. Is the local stack running (npm start)? For AWS pass --table.';
  }
  if (err.name === 'ResourceNotFoundException') return 'The table does not exist (check --table).';
  return undefined;
}
