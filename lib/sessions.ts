/**
 * Sign-in (with its lockout) and the caller's own password change.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';
import { db, getItems } from './db.js';
import { InvalidCredentialsError, TooManyAttemptsError } from './errors.js';
import { keys, usernameKey } from './keys.js';
import { verifyPassword } from './passwords.js';
import { issueToken } from './tokens.js';
import { findUserByUsername, type PublicUser, toPublicUser, type UserItem } from './user-store.js';

/**
 * Lockout policy (see README "Sign-in protection"): after LOCK_AFTER failures in a row for one
 * account+username, each further failure locks that pair for twice as long as the last,
 * from 1 minute up to 1 hour. That stays under ASVS' 100 failed attempts per hour and locks
 * as Auth0 does after 10. Counts are forgotten 24 hours after the last failure.
 */
export const LOCKOUT = {
  lockAfter: 10,
  firstLockSeconds: 60,
  maxLockSeconds: 3600,
  forgetAfterSeconds: 24 * 3600,
} as const;

type LockoutItem = { failures: number; lastFailureAt: number };

/** Seconds the pair is still locked for, or 0. */
export function lockedForSeconds(item: LockoutItem | undefined, nowMs: number): number {
  if (!item || item.failures < LOCKOUT.lockAfter) return 0;
  const lockSeconds = Math.min(
    LOCKOUT.maxLockSeconds,
    LOCKOUT.firstLockSeconds * 2 ** (item.failures - LOCKOUT.lockAfter),
  );
  const remainingMs = item.lastFailureAt + lockSeconds * 1000 - nowMs;
  return remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
}

/** An account id no account has (ids are base64url, never contain `!`). */
const UNKNOWN_ACCOUNT = '!unknown';

export type Session = {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: PublicUser;
};

/** A new session (token and user) for a user as stored. */
export async function sessionFor(user: UserItem): Promise<Session> {
  const token = await issueToken({
    userId: user.id,
    accountId: user.accountId,
    tokenVersion: user.tokenVersion,
  });
  return { ...token, tokenType: 'Bearer', user: toPublicUser(user) };
}

/**
 * Sign in with account slug, username and password. Unknown account, unknown user and wrong
 * password all pay one bcrypt comparison and answer the same 401.
 */
export async function login(slug: string, username: string, password: string): Promise<Session> {
  const slugKey = slug.toLowerCase();
  const nameKey = usernameKey(username);
  const lockoutKey = keys.lockout(slugKey, nameKey);
  const now = Date.now();
  // The slug guard and the lockout record in one request.
  const [slugGuard, lockoutRaw] = await getItems([keys.slug(slugKey), lockoutKey]);
  const accountId = slugGuard?.accountId as string | undefined;
  const lockout = live(lockoutRaw as LockoutItem | undefined, now);
  const locked = lockedForSeconds(lockout, now);
  if (locked > 0) throw new TooManyAttemptsError(locked);

  // An unknown account still pays the user lookup, so timing doesn't tell which slugs exist.
  const user = await findUserByUsername(accountId ?? UNKNOWN_ACCOUNT, username);
  const ok = await verifyPassword(password, user?.passwordHash);
  if (!ok || !user) {
    await recordFailure(lockoutKey, lockout, now);
    throw new InvalidCredentialsError();
  }
  if (lockoutRaw) {
    await db().send(new DeleteCommand({ TableName: config.tableName, Key: lockoutKey }));
  }
  return sessionFor(user);
}

/** A lockout record older than the forget window counts as none. */
function live(item: LockoutItem | undefined, nowMs: number): LockoutItem | undefined {
  if (!item) return undefined;
  return nowMs - item.lastFailureAt > LOCKOUT.forgetAfterSeconds * 1000 ? undefined : item;
}

async function recordFailure(
  key: ReturnType<typeof keys.lockout>,
  prior: LockoutItem | undefined,
  now: number,
) {
  const ttl = Math.floor(now / 1000) + LOCKOUT.forgetAfterSeconds;
  if (prior) {
    // ADD keeps concurrent failures from overwriting each other's count.
    await db().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: key,
        UpdateExpression: 'ADD failures :one SET lastFailureAt = :now, #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':now': now, ':ttl': ttl },
      }),
    );
  } else {
    await db().send(
      new PutCommand({
        TableName: config.tableName,
        Item: { ...key, type: 'lockout', failures: 1, lastFailureAt: now, ttl },
      }),
    );
  }
}
