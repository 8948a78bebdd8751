/**
 * Section 5: list-users page latency and items read with 100, 10,000 and 100,000 users in one
 * account, and the cleanup job's reads with 100 expired reset tokens among them, as the table
 * grows. Users are seeded in bulk (BatchWriteItem, lib/keys.ts builders, one precomputed hash).
 */
import type { Context } from 'aws-lambda';
import { activate, eventFor, handlerOf } from '../infra/local/invoke.js';
import { createAccount } from '../lib/accounts.js';
import { type DbCounter, summarizeCalls } from './counter.js';
import {
  addToUserCount,
  batchPut,
  contextFor,
  measure,
  parse,
  resetTokenItem,
  userItems,
} from './harness.js';
import { summarize } from './stats.js';
import type { Scale, ScaleStep } from './types.js';

const SLUG = 'bench-scale';
const EXPIRED_TOKENS = 100;
/** Live (unexpired) reset tokens: a tenth of the users, so the token index grows too. */
const LIVE_TOKEN_SHARE = 0.1;

export type ScaleOptions = { sizes: number[]; runs: number; passwordHash: string };

type CleanupHandler = (
  event: unknown,
  context: Context,
) => Promise<{ removed: number; read: number }>;

export async function benchScale(
  counter: DbCounter,
  opts: ScaleOptions,
  progress: (line: string) => void,
): Promise<Scale> {
  const created = await createAccount({
    slug: SLUG,
    name: 'Bench Scale',
    plan: 'enterprise',
    adminUsername: 'admin',
    adminPassword: 'Scale-admin-temp-5521',
  });
  const accountId = created.account.id;
  const token = await activate(SLUG, 'admin', 'Scale-admin-temp-5521', 'Scale-admin-pass-9904');
  const list = await handlerOf('users-list');
  const cleanup = (await handlerOf('cleanup')) as unknown as CleanupHandler;
  const ctx = () => contextFor('users-list', 512);
  // Tokens left by the route runs (used ones are removable at once) are not this section's.
  await cleanup({}, contextFor('cleanup', 512));

  let users = 0;
  let liveTokens = 0;
  let tableItems = 0;
  const steps: ScaleStep[] = [];
  for (const size of opts.sizes) {
    // Grow the account to `size` users (only user items: the list reads the byName index,
    // cleanup the byExpiry index; guards would only slow the seeding down).
    const started = performance.now();
    const items: Record<string, unknown>[] = [];
    for (let i = users; i < size; i++) {
      const username = `u${String(i).padStart(6, '0')}`;
      items.push(
        ...userItems(accountId, { id: `s${i}`, username }, opts.passwordHash, { guards: false }),
      );
    }
    const liveTarget = Math.floor(size * LIVE_TOKEN_SHARE);
    const future = new Date(Date.now() + 24 * 3_600_000).toISOString();
    for (let k = liveTokens; k < liveTarget; k++) {
      const userId = `s${EXPIRED_TOKENS + k}`;
      items.push(resetTokenItem(accountId, userId, SLUG, `live-${k}`, future));
    }
    await batchPut(items);
    await addToUserCount(accountId, size - users);
    const seedMs = performance.now() - started;
    tableItems += items.length;
    users = size;
    liveTokens = liveTarget;
    progress(
      `scale: ${size.toLocaleString('en-US')} users seeded (${items.length.toLocaleString('en-US')} items in ${(seedMs / 1000).toFixed(1)} s)`,
    );

    // The first page, then the second through its cursor: one counted request, then timed.
    const page = async (cursor?: string) => {
      const event = () =>
        eventFor('users-list', { token, ...(cursor ? { query: { cursor } } : {}) });
      for (let w = 0; w < 3; w++) await list(event(), ctx());
      const { result, calls } = await counter.record(() => list(event(), ctx()));
      const body = parse(result.body);
      if (result.statusCode !== 200) throw new Error(`users-list: ${result.statusCode}`);
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < opts.runs; r++) {
        const ev = event();
        const m = await measure(() => list(ev, ctx()));
        wall.push(m.wallMs);
        cpu.push(m.cpuMs);
      }
      return {
        next: body?.nextCursor as string | undefined,
        out: {
          wall: summarize(wall),
          cpu: summarize(cpu),
          calls: summarizeCalls(calls),
          items: (body?.items as unknown[] | undefined)?.length ?? 0,
        },
      };
    };
    const first = await page();
    const second = await page(first.next);

    // 100 expired tokens among everything else; the job must read those and nothing more.
    const past = new Date(Date.now() - 3_600_000 - steps.length).toISOString();
    await batchPut(
      Array.from({ length: EXPIRED_TOKENS }, (_, k) =>
        resetTokenItem(accountId, `s${k}`, SLUG, `expired-${size}-${k}`, past),
      ),
    );
    const job = await measure(() => counter.record(() => cleanup({}, contextFor('cleanup', 512))));
    steps.push({
      users: size,
      tableItems: tableItems + EXPIRED_TOKENS,
      seedMs,
      seededItems: items.length,
      firstPage: first.out,
      nextPage: second.out,
      cleanup: {
        expired: EXPIRED_TOKENS,
        live: liveTokens,
        removed: job.result.result.removed,
        read: job.result.result.read,
        wallMs: job.wallMs,
        cpuMs: job.cpuMs,
        calls: summarizeCalls(job.result.calls),
      },
    });
    progress(`scale: ${size.toLocaleString('en-US')} users measured`);
  }
  return {
    runs: opts.runs,
    steps,
    note:
      'users seeded as user items only (with their byName index keys); live reset tokens = 10% ' +
      'of users; latency is against DynamoDB Local in memory, so read the items read and ' +
      'units for flatness, the milliseconds only as a local trend',
  };
}
