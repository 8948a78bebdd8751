/**
 * What the workload needs to drive handlers directly: API Gateway v2 events built by the local
 * adapter's own `toEvent()`, a Lambda context, the handlers of functions/<id>.ts, and bulk
 * seeding of users (lib/keys.ts builders, BatchWriteItem, one precomputed hash).
 */
import { createHash, randomBytes } from 'node:crypto';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { apiEvent, lambdaContext } from '../infra/local/adapter.js';
import { config } from '../lib/config.js';
import { db } from '../lib/db.js';
import { keys } from '../lib/keys.js';
import { ROUTES, type RouteId } from '../lib/routes.js';

export type Result = APIGatewayProxyStructuredResultV2;
type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<Result>;

export type Call = {
  /** Path parameters, e.g. { id }. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  token?: string;
  body?: unknown;
};

const handlers = new Map<string, Promise<Handler>>();

/** The handler of functions/<id>.ts, loaded once (as a warm Lambda keeps it). */
export function handlerOf(id: string): Promise<Handler> {
  let h = handlers.get(id);
  if (!h) {
    h = import(`../functions/${id}.ts`).then((m: { handler: Handler }) => m.handler);
    handlers.set(id, h);
  }
  return h;
}

/** The API Gateway HTTP API v2 event of a request, as the local stack's adapter builds it. */
export function eventFor(id: RouteId, call: Call): APIGatewayProxyEventV2 {
  const route = ROUTES[id];
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(call.params?.[name] ?? ''),
  );
  const body = call.body === undefined ? '' : JSON.stringify(call.body);
  return apiEvent({
    route,
    rawPath,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers: {
      host: 'api.capptro.example',
      'user-agent': 'capptro-bench',
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    pathParameters: call.params ?? {},
    body,
  });
}

/** A Lambda context for a bench invocation at the function's memory size. */
export function contextFor(id: string, memoryMb: number): Context {
  return lambdaContext(id, randomBytes(8).toString('hex'), memoryMb);
}

/** Invoke a route's handler with a request; answers status and parsed JSON body. */
export async function invoke(
  id: RouteId,
  call: Call,
): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const handler = await handlerOf(id);
  const result = await handler(eventFor(id, call), contextFor(id, 512));
  return { status: result.statusCode ?? 200, body: parse(result.body) };
}

export function parse(body: string | undefined): Record<string, unknown> | undefined {
  if (!body) return undefined;
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Fail loudly when a fixture step does not answer what it must. */
export function expectStatus(
  what: string,
  got: { status: number; body?: unknown },
  status: number,
): void {
  if (got.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${got.status} ${JSON.stringify(got.body)}`);
  }
}

/** Sign in, then choose a password (the harness' activate flow), through the handlers. */
export async function activate(
  slug: string,
  username: string,
  temporary: string,
  next: string,
): Promise<string> {
  const login = await invoke('login', { body: { account: slug, username, password: temporary } });
  expectStatus('login', login, 200);
  const changed = await invoke('me-password', {
    token: login.body?.accessToken as string,
    body: { currentPassword: temporary, newPassword: next },
  });
  expectStatus('me-password', changed, 200);
  return changed.body?.accessToken as string;
}

/** Put items with BatchWriteItem, 25 a request, `parallel` requests in flight. */
export async function batchPut(items: Record<string, unknown>[], parallel = 8): Promise<void> {
  const T = config.tableName;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const chunk = items.slice(next, next + 25);
      next += 25;
      let pending: Record<string, unknown>[] | undefined = chunk.map((Item) => ({
        PutRequest: { Item },
      }));
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * attempt));
        const out = await db().send(new BatchWriteCommand({ RequestItems: { [T]: pending } }));
        pending = out.UnprocessedItems?.[T] as Record<string, unknown>[] | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

export type SeedUser = {
  id: string;
  username: string;
  email?: string;
  admin?: boolean;
  mustChangePassword?: boolean;
};

/**
 * The items of a user as lib/ writes them (user item with its byName index keys, the username
 * guard, the email guard), with a precomputed hash: bulk seeding pays no bcrypt per user.
 */
export function userItems(
  accountId: string,
  u: SeedUser,
  passwordHash: string,
  opts: { guards?: boolean } = {},
): Record<string, unknown>[] {
  const now = new Date().toISOString();
  const usernameKey = u.username.toLowerCase();
  const emailKey = u.email?.trim().toLowerCase();
  const user = {
    ...keys.user(accountId, u.id),
    ...keys.usersByName(accountId, usernameKey),
    type: 'user',
    id: u.id,
    accountId,
    username: u.username,
    usernameKey,
    ...(u.email ? { email: u.email, emailKey } : {}),
    admin: u.admin ?? false,
    passwordHash,
    mustChangePassword: u.mustChangePassword ?? false,
    tokenVersion: 0,
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
  if (opts.guards === false) return [user];
  return [
    user,
    { ...keys.usernameGuard(accountId, usernameKey), type: 'guard', userId: u.id },
    ...(emailKey ? [{ ...keys.emailGuard(accountId, emailKey), type: 'guard', userId: u.id }] : []),
  ];
}

/** Raise the account's user counter by `n` (seeded users count toward it like real ones). */
export async function addToUserCount(accountId: string, n: number): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: keys.account(accountId),
      UpdateExpression: 'SET userCount = userCount + :n',
      ExpressionAttributeValues: { ':n': n },
    }),
  );
}

/** SHA-256 hex of a reset token: the only form lib/reset.ts stores. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A reset token item shaped like lib/reset.ts writes it (keys.resetToken + the byResetToken and
 * sparse byExpiry index keys). `expiresAt` in the past makes it removable by cleanup.
 */
export function resetTokenItem(
  accountId: string,
  userId: string,
  slug: string,
  token: string,
  expiresAt: string,
): Record<string, unknown> {
  const hash = tokenHash(token);
  return {
    ...keys.resetToken(accountId, userId),
    ...keys.resetTokenByHash(hash),
    ...keys.resetExpiry(expiresAt),
    type: 'resetToken',
    accountId,
    userId,
    slug,
    tokenHash: hash,
    expiresAt,
    ttl: Math.ceil(Date.parse(expiresAt) / 1000),
  };
}

/** Measure CPU (process.cpuUsage, user + system) and wall time of one awaited call. */
export async function measure<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; cpuMs: number; wallMs: number }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - w0;
  const c = process.cpuUsage(c0);
  return { result, cpuMs: (c.user + c.system) / 1000, wallMs };
}
