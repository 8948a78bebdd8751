/**
 * Sections 2 and 3: every route once warm with its DynamoDB requests counted, then ≥ 200 warm
 * requests (fewer for bcrypt routes) with the handler's CPU measured, and the bare floor next
 * to GET /v1/me to price the middy + zod + jose stack.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { activate, type Call, eventFor, handlerOf, invoke } from '../infra/local/invoke.js';
import { createAccount } from '../lib/accounts.js';
import { config } from '../lib/config.js';
import { db, setDb } from '../lib/db.js';
import { keys } from '../lib/keys.js';
import { logger } from '../lib/logger.js';
import { hashPassword } from '../lib/passwords.js';
import { ROUTES, type RouteId } from '../lib/routes.js';
import { forgetVerifiedTokens, issueToken, verifyToken } from '../lib/tokens.js';
import { DEFAULT_MEMORY_MB } from './bundles.js';
import { type DbCounter, summarizeCalls } from './counter.js';
import { handler as floorHandler } from './floor.js';
import {
  addToUserCount,
  batchPut,
  contextFor,
  expectStatus,
  measure,
  parse,
  resetTokenItem,
  type SeedUser,
  userItems,
} from './harness.js';
import { summarize } from './stats.js';
import type { Overhead, RouteRun, Target } from './types.js';

export const SLUG = 'bench-co';
const ADMIN_TEMP = 'Bench-admin-temp-1931';
const ADMIN_PASSWORD = 'Bench-admin-pass-2846';
/** The password of every seeded user (hashed once, at the configured cost). */
export const SEED_PASSWORD = 'Seeded-pass-4821-q';
const PW = ['Own-pass-7319-a', 'Own-pass-7319-b'];

export type Options = {
  runs: number;
  bcryptRuns: number;
  sesEndpoint: string;
  /** forgot-password's deployed minimum answer time (the bench runs it at 0). */
  forgotFloorMs: number;
};

type Fixtures = {
  accountId: string;
  adminId: string;
  adminToken: string;
  target: SeedUser;
  pwUser: SeedUser;
  logoutUser: SeedUser;
  doomed: SeedUser[];
  forgetful: SeedUser[];
  resetting: SeedUser[];
};

/** One enterprise account (no user limit, employees on), its admin, and seeded users. */
export async function fixtures(opts: Options): Promise<Fixtures> {
  const created = await createAccount({
    slug: SLUG,
    name: 'Bench Co',
    plan: 'enterprise',
    adminUsername: 'admin',
    adminPassword: ADMIN_TEMP,
  });
  const accountId = created.account.id;
  const adminToken = await activate(SLUG, 'admin', ADMIN_TEMP, ADMIN_PASSWORD);
  const hash = await hashPassword(SEED_PASSWORD);
  const many = (prefix: string, n: number, email = false): SeedUser[] =>
    Array.from({ length: n }, (_, i) => {
      const username = `${prefix}-${String(i).padStart(4, '0')}`;
      return {
        id: `${prefix}${i}`,
        username,
        ...(email ? { email: `${username}@bench.example` } : {}),
      };
    });
  const fx: Fixtures = {
    accountId,
    adminId: created.admin.id,
    adminToken,
    target: { id: 'target', username: 'target-user', email: 'target@bench.example' },
    pwUser: { id: 'pwuser', username: 'pw-user' },
    logoutUser: { id: 'logoutuser', username: 'logout-user' },
    doomed: many('del', opts.runs + 8),
    forgetful: many('fp', opts.runs + 8, true),
    resetting: many('rs', opts.bcryptRuns + 8),
  };
  const users = [
    fx.target,
    fx.pwUser,
    fx.logoutUser,
    ...fx.doomed,
    ...fx.forgetful,
    ...fx.resetting,
  ];
  await batchPut(users.flatMap((u) => userItems(accountId, u, hash)));
  await addToUserCount(accountId, users.length);
  return fx;
}

type Scenario = {
  label: string;
  route: RouteId;
  bcrypt?: boolean;
  expect: number;
  /** The request number i (warm-ups first, then the counted one, then the measured ones). */
  call: (i: number) => Call | Promise<Call>;
  /** Sees each answer (tokens that rotate, ids that were created). */
  after?: (body: Record<string, unknown> | undefined) => void;
  request: string;
  target?: Target;
  note?: string;
};

const GET_TARGET: Target = {
  text: 'authenticated GET ≤ 2 calls (the caller + one GetItem/Query), no write',
  maxCalls: 2,
  maxWrites: 0,
};
const USER_WRITE_TARGET: Target = {
  text: 'user create/update/delete = 2 calls (the caller + one transaction)',
  maxCalls: 2,
  transactions: 1,
};
const LOGIN_TARGET: Target = {
  text: 'login = 2 reads + at most 1 write',
  maxReads: 2,
  maxWrites: 1,
};

function scenarios(fx: Fixtures, opts: Options): Scenario[] {
  const admin = fx.adminToken;
  let pwToken = '';
  let pwIndex = 0;
  let logoutVersion = 0;
  const employees: string[] = [];
  const resetTokens: string[] = [];
  return [
    {
      label: 'login',
      route: 'login',
      bcrypt: true,
      expect: 200,
      request: 'POST /v1/auth/login, right password',
      target: LOGIN_TARGET,
      call: () => ({ body: { account: SLUG, username: 'admin', password: ADMIN_PASSWORD } }),
    },
    {
      label: 'login (wrong password)',
      route: 'login',
      bcrypt: true,
      expect: 401,
      request: 'POST /v1/auth/login, unknown username (a new one each time: no lockout)',
      target: LOGIN_TARGET,
      call: (i) => ({ body: { account: SLUG, username: `nobody-${i}`, password: 'Wrong-9x' } }),
    },
    {
      label: 'logout',
      route: 'logout',
      expect: 204,
      request: 'POST /v1/auth/logout',
      call: async () => ({
        token: (
          await issueToken({
            userId: fx.logoutUser.id,
            accountId: fx.accountId,
            tokenVersion: logoutVersion++,
          })
        ).accessToken,
      }),
    },
    {
      label: 'me',
      route: 'me',
      expect: 200,
      request: 'GET /v1/me',
      target: GET_TARGET,
      call: () => ({ token: admin }),
    },
    {
      label: 'me-password',
      route: 'me-password',
      bcrypt: true,
      expect: 200,
      request: 'POST /v1/me/password (compare + hash)',
      call: async () => {
        if (!pwToken) {
          pwToken = (
            await issueToken({ userId: fx.pwUser.id, accountId: fx.accountId, tokenVersion: 0 })
          ).accessToken;
        }
        const current = pwIndex === 0 ? SEED_PASSWORD : (PW[pwIndex % 2] as string);
        pwIndex++;
        return {
          token: pwToken,
          body: { currentPassword: current, newPassword: PW[pwIndex % 2] },
        };
      },
      after: (body) => {
        pwToken = body?.accessToken as string;
      },
    },
    {
      label: 'account',
      route: 'account',
      expect: 200,
      request: 'GET /v1/account',
      target: GET_TARGET,
      call: () => ({ token: admin }),
    },
    {
      label: 'users-list',
      route: 'users-list',
      expect: 200,
      request: 'GET /v1/users (first page, limit 50)',
      target: GET_TARGET,
      call: () => ({ token: admin }),
    },
    {
      label: 'users-create',
      route: 'users-create',
      bcrypt: true,
      expect: 201,
      request: 'POST /v1/users (hash at the configured cost)',
      target: USER_WRITE_TARGET,
      call: (i) => ({
        token: admin,
        body: { username: `new-${i}`, password: 'Created-pass-7731-z' },
      }),
    },
    {
      label: 'users-get',
      route: 'users-get',
      expect: 200,
      request: 'GET /v1/users/{id}',
      target: GET_TARGET,
      call: () => ({ token: admin, params: { id: fx.target.id } }),
    },
    {
      label: 'users-update',
      route: 'users-update',
      expect: 200,
      request: 'PATCH /v1/users/{id} {email} (moves the email guard)',
      target: USER_WRITE_TARGET,
      call: (i) => ({
        token: admin,
        params: { id: fx.target.id },
        body: { email: `target-${i % 2}@bench.example` },
      }),
    },
    {
      label: 'users-update (password)',
      route: 'users-update',
      bcrypt: true,
      expect: 200,
      request: 'PATCH /v1/users/{id} {password} (hash)',
      target: USER_WRITE_TARGET,
      call: (i) => ({
        token: admin,
        params: { id: fx.target.id },
        body: { password: `Temp-pass-${i}-x9k` },
      }),
    },
    {
      label: 'users-delete',
      route: 'users-delete',
      expect: 204,
      request: 'DELETE /v1/users/{id}',
      target: USER_WRITE_TARGET,
      call: (i) => ({ token: admin, params: { id: (fx.doomed[i] as SeedUser).id } }),
    },
    {
      label: 'audit-log',
      route: 'audit-log',
      expect: 200,
      request: 'GET /v1/audit-log (first page, limit 50)',
      target: GET_TARGET,
      call: () => ({ token: admin }),
    },
    {
      label: 'forgot-password',
      route: 'forgot-password',
      expect: 202,
      request: 'POST /v1/auth/forgot-password {account, email}, known user (sends an email)',
      note: `deployed, the answer waits until ${opts.forgotFloorMs} ms (FORGOT_PASSWORD_MIN_MS; 0 here)`,
      call: (i) => ({
        body: { account: SLUG, email: (fx.forgetful[i] as SeedUser).email },
      }),
    },
    {
      label: 'reset-password',
      route: 'reset-password',
      bcrypt: true,
      expect: 204,
      request: 'POST /v1/auth/reset-password (valid token, hash)',
      call: async (i) => {
        const user = fx.resetting[i] as SeedUser;
        const token = `bench-reset-token-${i}-${Date.now()}`;
        resetTokens.push(token);
        const expires = new Date(Date.now() + 3_600_000).toISOString();
        await batchPut([resetTokenItem(fx.accountId, user.id, SLUG, token, expires)]);
        return { body: { token, newPassword: `Reset-pass-${i}-q3w` } };
      },
    },
    {
      label: 'reset-page',
      route: 'reset-page',
      expect: 200,
      request: 'GET /reset-password?token=…',
      call: () => ({ query: { token: 'abc' } }),
    },
    {
      label: 'employees-create',
      route: 'employees-create',
      expect: 201,
      request: 'POST /v1/employees',
      call: (i) => ({ token: admin, body: { name: `Employee ${i}` } }),
      after: (body) => {
        employees.push(body?.id as string);
      },
    },
    {
      label: 'employees-list',
      route: 'employees-list',
      expect: 200,
      request: 'GET /v1/employees (first page, limit 50)',
      target: GET_TARGET,
      call: () => ({ token: admin }),
    },
    {
      label: 'employees-update',
      route: 'employees-update',
      expect: 200,
      request: 'PATCH /v1/employees/{id} {name}',
      call: (i) => ({
        token: admin,
        params: { id: employees[0] as string },
        body: { name: i % 2 ? 'Ann Able' : 'Ann Baker' },
      }),
    },
    {
      label: 'employees-delete',
      route: 'employees-delete',
      expect: 204,
      request: 'DELETE /v1/employees/{id}',
      call: async (i) => {
        // The employee to delete is made first, outside the measurement.
        const made = await invoke('employees-create', {
          token: admin,
          body: { name: `Doomed ${i}` },
        });
        expectStatus('employees-create', made, 201);
        return { token: admin, params: { id: made.body?.id as string } };
      },
    },
    {
      label: 'openapi',
      route: 'openapi',
      expect: 200,
      request: 'GET /v1/openapi.json',
      call: () => ({}),
    },
  ];
}

async function emailsSent(sesEndpoint: string): Promise<number> {
  const res = await fetch(`${sesEndpoint}/store`);
  const { emails } = (await res.json()) as { emails: unknown[] };
  return emails.length;
}

function missesOf(target: Target | undefined, s: ReturnType<typeof summarizeCalls>): string[] {
  const misses: string[] = [];
  if (s.scans > 0) misses.push(`${s.scans} Scan`);
  if (!target) return misses;
  if (target.maxCalls !== undefined && s.calls > target.maxCalls) {
    misses.push(`${s.calls} calls > ${target.maxCalls}`);
  }
  if (target.maxReads !== undefined && s.reads > target.maxReads) {
    misses.push(`${s.reads} reads > ${target.maxReads}`);
  }
  if (target.maxWrites !== undefined && s.writes > target.maxWrites) {
    misses.push(`${s.writes} writes > ${target.maxWrites}`);
  }
  const tx = s.byOp.TransactWriteItems ?? 0;
  if (target.transactions !== undefined && tx !== target.transactions) {
    misses.push(`${tx} transactions ≠ ${target.transactions}`);
  }
  return misses;
}

export async function benchRoutes(
  fx: Fixtures,
  counter: DbCounter,
  opts: Options,
  progress: (line: string) => void,
): Promise<RouteRun[]> {
  const out: RouteRun[] = [];
  for (const sc of scenarios(fx, opts)) {
    const handler = await handlerOf(sc.route);
    const memoryMb = (ROUTES[sc.route] as { memoryMb?: number }).memoryMb ?? DEFAULT_MEMORY_MB;
    const warm = sc.bcrypt ? 1 : 3;
    const runs = sc.bcrypt ? opts.bcryptRuns : opts.runs;
    let i = 0;
    const once = async (event: APIGatewayProxyEventV2) => {
      const res = await handler(event, contextFor(sc.route, memoryMb));
      const body = parse(res.body);
      expectStatus(sc.label, { status: res.statusCode ?? 200, body }, sc.expect);
      sc.after?.(body);
    };
    for (let w = 0; w < warm; w++) await once(eventFor(sc.route, await sc.call(i++)));

    // One warm request with every DynamoDB call counted (and its email, if any).
    const event = eventFor(sc.route, await sc.call(i++));
    const mailsBefore = await emailsSent(opts.sesEndpoint);
    const { calls } = await counter.record(() => once(event));
    const emails = (await emailsSent(opts.sesEndpoint)) - mailsBefore;

    const cpu: number[] = [];
    const wall: number[] = [];
    for (let r = 0; r < runs; r++) {
      const ev = eventFor(sc.route, await sc.call(i++));
      const ctx = contextFor(sc.route, memoryMb); // the runtime's work, not the handler's
      const m = await measure(() => handler(ev, ctx));
      const body = parse(m.result.body);
      expectStatus(sc.label, { status: m.result.statusCode ?? 200, body }, sc.expect);
      sc.after?.(body);
      cpu.push(m.cpuMs);
      wall.push(m.wallMs);
    }
    const summary = summarizeCalls(calls);
    out.push({
      label: sc.label,
      route: sc.route,
      memoryMb,
      bcrypt: sc.bcrypt === true,
      request: sc.request,
      calls,
      summary,
      emails,
      ...(sc.target ? { target: sc.target } : {}),
      misses: missesOf(sc.target, summary),
      cpu: summarize(cpu),
      wall: summarize(wall),
      ...(sc.note ? { note: sc.note } : {}),
    });
    progress(`requests: ${sc.label} (${runs} runs)`);
  }
  return out;
}

/**
 * GET /v1/me through the whole stack against the floor doing the same BatchGetItem of the
 * caller and the account, interleaved request by request so drift hits both alike; then the
 * parts of the stack on their own.
 */
export async function benchOverhead(fx: Fixtures, runs: number): Promise<Overhead> {
  const me = await handlerOf('me');
  const meEvent = () => eventFor('me', { token: fx.adminToken });
  const pk = keys.account(fx.accountId).PK;
  const bareEvent = () => ({
    pathParameters: {
      pk,
      userSk: keys.user(fx.accountId, fx.adminId).SK,
      accountSk: keys.account(fx.accountId).SK,
    },
  });
  for (let w = 0; w < 20; w++) {
    await me(meEvent(), contextFor('me', DEFAULT_MEMORY_MB));
    await floorHandler(bareEvent());
  }
  const full: number[] = [];
  const fullNew: number[] = [];
  const bare: number[] = [];
  const fullWall: number[] = [];
  const bareWall: number[] = [];
  const runFull = async () => {
    const a = meEvent();
    const ctx = contextFor('me', DEFAULT_MEMORY_MB); // the runtime's work, not the handler's
    const ma = await measure(() => me(a, ctx));
    if (ma.result.statusCode !== 200) throw new Error(`GET /v1/me: ${ma.result.statusCode}`);
    full.push(ma.cpuMs);
    fullWall.push(ma.wallMs);
  };
  const runBare = async () => {
    const b = bareEvent();
    const mb = await measure(() => floorHandler(b));
    if (mb.result.statusCode !== 200) throw new Error(`floor: ${mb.result.statusCode}`);
    bare.push(mb.cpuMs);
    bareWall.push(mb.wallMs);
  };
  // A token the container has not verified yet: what the first request of each session pays.
  const runFullNew = async () => {
    const a = meEvent();
    const ctx = contextFor('me', DEFAULT_MEMORY_MB);
    await forgetVerifiedTokens();
    const ma = await measure(() => me(a, ctx));
    if (ma.result.statusCode !== 200) throw new Error(`GET /v1/me: ${ma.result.statusCode}`);
    fullNew.push(ma.cpuMs);
  };
  // Rounds in rotating order, so no side always runs right after another.
  const sides = [runFull, runBare, runFullNew];
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < sides.length; k++)
      await (sides[(r + k) % sides.length] as () => Promise<void>)();
  }

  // Parts on their own: the token check, the request log, the validation of a GET.
  const parts: Overhead['parts'] = [];
  const micro = async (name: string, n: number, fn: () => unknown) => {
    for (let w = 0; w < 50; w++) await fn();
    const samples: number[] = [];
    for (let k = 0; k < n; k++) {
      const c0 = process.cpuUsage();
      await fn();
      const c = process.cpuUsage(c0);
      samples.push(c.user + c.system);
    }
    parts.push({ name, p50Us: summarize(samples).p50, n });
  };
  await micro('verifyToken, a token verified before (expiry check)', 2000, () =>
    verifyToken(fx.adminToken),
  );
  await micro(
    'verifyToken, a new token (jose jwtVerify, HS256, CryptoKey; + forgetting)',
    2000,
    async () => {
      await forgetVerifiedTokens();
      return verifyToken(fx.adminToken);
    },
  );
  const ctx = contextFor('me', DEFAULT_MEMORY_MB);
  await micro('request log line (addContext, appendKeys, info, resetKeys)', 2000, () => {
    logger.addContext(ctx);
    logger.appendKeys({ requestId: 'bench' });
    logger.info('request', { route: 'GET /v1/me', status: 200, latencyMs: 3 });
    logger.resetKeys();
  });
  const empty = z.strictObject({});
  await micro('zod validation of a GET (3 × strictObject({}).safeParse)', 2000, () => {
    empty.safeParse({});
    empty.safeParse({});
    empty.safeParse({});
  });

  // The stack alone: the same GET /v1/me with its one BatchGetItem answered in-process (the
  // items it would read, no SDK, no HTTP), so only middy, jose, zod, the logger and the
  // handler's own work are left.
  const real = db();
  const T = config.tableName;
  const read = await real.send(
    new BatchGetCommand({
      RequestItems: {
        [T]: {
          Keys: [keys.user(fx.accountId, fx.adminId), keys.account(fx.accountId)],
          ConsistentRead: true,
        },
      },
    }),
  );
  const answer = { Responses: { [T]: read.Responses?.[T] ?? [] }, UnprocessedKeys: {} };
  setDb({ send: async () => answer } as unknown as DynamoDBDocumentClient);
  const alone: number[] = [];
  try {
    for (let w = 0; w < 50; w++) await me(meEvent(), contextFor('me', DEFAULT_MEMORY_MB));
    for (let r = 0; r < 1000; r++) {
      const ev = meEvent();
      const ctx = contextFor('me', DEFAULT_MEMORY_MB);
      const m = await measure(() => me(ev, ctx));
      if (m.result.statusCode !== 200) throw new Error(`GET /v1/me: ${m.result.statusCode}`);
      alone.push(m.cpuMs);
    }
  } finally {
    setDb(real);
  }

  const fullS = summarize(full);
  const fullNewS = summarize(fullNew);
  const bareS = summarize(bare);
  return {
    runs,
    full: fullS,
    bare: bareS,
    stackAlone: summarize(alone),
    fullWall: summarize(fullWall),
    bareWall: summarize(bareWall),
    overheadP50: fullS.p50 - bareS.p50,
    fullNewToken: fullNewS,
    overheadNewTokenP50: fullNewS.p50 - bareS.p50,
    parts,
  };
}
