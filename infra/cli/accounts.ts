/**
 * Operator CLI: `npm run accounts -- create|set-plan|list|verify …` (API.md "Operators").
 *
 * With no flags it talks to the running local stack (DynamoDB Local on DYNAMODB_PORT).
 * With `--table NAME` (or TABLE_NAME) it talks to AWS with the operator's normal credentials
 * (AWS_PROFILE / AWS_REGION or `--region`). Prints JSON on stdout; on any error prints one
 * clear line on stderr and exits 1.
 */
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { createAccount, listAccounts, setPlan } from '../../lib/accounts.js';
import { AppError } from '../../lib/errors.js';
import { isPlanId, PLAN_IDS, type PlanId } from '../../lib/plans.js';
import * as schemas from '../../lib/schemas.js';
import { type VerifyReport, verifyReport } from '../../lib/verify.js';
import { describeTargetError, TARGET_OPTIONS, useTarget } from './target.js';

const USAGE = `Usage:
  npm run accounts -- create --slug acme --name "Acme Ltd" --plan cloud-pro --admin-username alice [--admin-email a@x.com] [--admin-password …]
  npm run accounts -- set-plan --slug acme --plan enterprise
  npm run accounts -- list
  npm run accounts -- verify --slug acme   (exits 1 when the account breaks an invariant)
Target: the local stack by default; AWS with --table NAME [--region R] (or TABLE_NAME).
Plans: ${PLAN_IDS.join(', ')}`;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

function check<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new UsageError(`Invalid ${what}: ${result.error.issues[0]?.message ?? 'not valid'}.`);
  }
  return result.data;
}

function plan(value: string): PlanId {
  if (!isPlanId(value)) {
    throw new UsageError(`Unknown plan "${value}". Plans: ${PLAN_IDS.join(', ')}.`);
  }
  return value;
}

/** Run one CLI command; answers what to print. Exported for tests. */
export async function run(argv: string[]): Promise<unknown> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      plan: { type: 'string' },
      'admin-username': { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      ...TARGET_OPTIONS,
    },
  });
  const [command, ...extra] = positionals;
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  switch (command) {
    case 'create': {
      const input = {
        slug: check(schemas.slug(), required(values, 'slug'), 'slug'),
        name: check(
          z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
          required(values, 'name'),
          'name',
        ),
        plan: plan(required(values, 'plan')),
        adminUsername: check(
          schemas.username(),
          required(values, 'admin-username'),
          'admin username',
        ),
        ...(values['admin-email']
          ? { adminEmail: check(schemas.email(), values['admin-email'], 'admin email') }
          : {}),
        ...(values['admin-password'] ? { adminPassword: values['admin-password'] } : {}),
      };
      useTarget(values);
      return createAccount(input);
    }
    case 'set-plan': {
      const slug = check(schemas.slug(), required(values, 'slug'), 'slug');
      const next = plan(required(values, 'plan'));
      useTarget(values);
      return setPlan(slug, next);
    }
    case 'list':
      useTarget(values);
      return listAccounts();
    case 'verify': {
      const slug = check(schemas.slug(), required(values, 'slug'), 'slug');
      useTarget(values);
      return verifyReport(slug);
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
}

/** The message an operator sees for a failure, without internals. */
export function describeError(err: unknown): string {
  if (err instanceof UsageError) return `${err.message}\n\n${USAGE}`;
  if (err instanceof AppError) return err.message;
  const e = err as Error;
  if (e.name === 'TypeError' && /Unknown option|Unexpected argument/.test(e.message)) {
    return `${e.message}\n\n${USAGE}`;
  }
  if (['SlugTakenError', 'AccountNotFoundError'].includes(e.name)) return e.message;
  const target = describeTargetError(e);
  if (target) return target;
  return `${e.name}: ${e.message}`;
}

/** True for a verify report that found problems. */
function failedVerify(out: unknown): boolean {
  return typeof out === 'object' && out !== null && 'problems' in out && !(out as VerifyReport).ok;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const out = await run(process.argv.slice(2));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    // verify prints its report either way; a broken invariant is a failure for scripts.
    if (failedVerify(out)) process.exitCode = 1;
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n`);
    process.exit(1);
  }
}
