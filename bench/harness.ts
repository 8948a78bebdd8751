/**
 * What the workload needs besides the direct invoker (infra/local/invoke.ts): a Lambda
 * context per invocation, checks of fixture answers, and bulk seeding of users (lib/keys.ts
 * builders, BatchWriteItem, one precomputed hash).
 */
import { createHash, randomBytes } from 'node:crypto';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from '../infra/local/adapter.js';
import { config } from '../lib/config.js';
import { db } from '../lib/db.js';
import { keys } from '../lib/keys.js';

export type Result = APIGatewayProxyStructuredResultV2;

/** A Lambda context for a bench invocation at the function's memory size. */
export function contextFor(id: string, memoryMb: number): Context {
  return lambdaContext(id, randomBytes(8).toString('hex'), memoryMb);
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
