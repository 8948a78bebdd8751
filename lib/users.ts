/**
 * Users of an account: the rules of Settings > User Management. Every write is one
 * transaction that moves the user item, its uniqueness guards, the account's counters and an
 * audit event together, so a failure leaves nothing half-written.
 */
import { type Actor, auditItem } from './audit.js';
import { config } from './config.js';
import {
  ConditionsFailed,
  firstOrFresh,
  type Prefetched,
  type TransactItems,
  transact,
} from './db.js';
import {
  EmailTakenError,
  LastAdminError,
  UnavailableError,
  UserLimitReachedError,
  UserNotFoundError,
  UsernameTakenError,
} from './errors.js';
import { newId, nowIso } from './ids.js';
import { emailKey, keys, usernameKey } from './keys.js';
import { assertStrongPassword } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { guardDelete, guardPut, MAX_OPTIMISTIC_ATTEMPTS } from './user-guards.js';
import { getUser, type PublicUser, toPublicUser, type UserItem } from './user-store.js';

export type NewUser = { username: string; password: string; admin: boolean; email?: string };

/**
 * The items that create a user: the user, its guards and the audit event. The account's
 * counter update is the caller's (account creation and user creation count differently).
 */
export async function newUserItems(
  accountId: string,
  input: NewUser,
  actor: Actor,
): Promise<{ user: UserItem; items: TransactItems }> {
  await assertStrongPassword(input.password, input.username);
  const now = nowIso();
  const id = newId();
  const user: UserItem = {
    id,
    accountId,
    username: input.username,
    usernameKey: usernameKey(input.username),
    ...(input.email ? { email: input.email.trim(), emailKey: emailKey(input.email) } : {}),
    admin: input.admin,
    passwordHash: await hashPassword(input.password),
    mustChangePassword: true,
    tokenVersion: 0,
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
  const T = config.tableName;
  const items: TransactItems = [
    {
      Put: {
        TableName: T,
        Item: {
          ...user,
          ...keys.user(accountId, id),
          ...keys.usersByName(accountId, user.usernameKey),
          type: 'user',
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    guardPut(keys.usernameGuard(accountId, user.usernameKey), id),
    ...(user.emailKey ? [guardPut(keys.emailGuard(accountId, user.emailKey), id)] : []),
    auditItem(accountId, {
      actor,
      action: 'user.created',
      target: { type: 'user', id, name: user.username },
      changes: { username: user.username, email: user.email ?? null, admin: user.admin },
    }),
  ];
  return { user, items };
}

/**
 * Create a user. The account's counter is raised in the same transaction on the condition
 * `userCount < userLimit`, so the plan limit holds under any concurrency.
 */
export async function createUser(
  accountId: string,
  input: NewUser,
  actor: Actor,
): Promise<PublicUser> {
  const { user, items } = await newUserItems(accountId, input, actor);
  const accountUpdate: TransactItems[number] = {
    Update: {
      TableName: config.tableName,
      Key: keys.account(accountId),
      UpdateExpression: 'SET userCount = userCount + :one, adminCount = adminCount + :adm',
      ConditionExpression:
        'attribute_exists(PK) AND (attribute_not_exists(userLimit) OR userCount < userLimit)',
      ExpressionAttributeValues: { ':one': 1, ':adm': input.admin ? 1 : 0 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
  try {
    await transact([accountUpdate, ...items]);
  } catch (err) {
    if (!(err instanceof ConditionsFailed)) throw err;
    // items: [account, user, usernameGuard, emailGuard?, audit]
    if (err.failed(2)) throw new UsernameTakenError();
    if (user.emailKey && err.failed(3)) throw new EmailTakenError();
    if (err.failed(0)) {
      const limit = err.reasons[0]?.item?.userLimit;
      if (typeof limit === 'number') throw new UserLimitReachedError(limit);
    }
    throw err;
  }
  return toPublicUser(user);
}

export type UserPatch = {
  username?: string;
  password?: string;
  admin?: boolean;
  email?: string | null;
};

/**
 * Apply an admin's edit. Reads the target, then writes everything in one transaction
 * conditional on the version read; a concurrent change makes it read and try again.
 */
export async function updateUser(
  accountId: string,
  userId: string,
  patch: UserPatch,
  actor: Actor,
  prefetched?: Prefetched<UserItem>,
): Promise<PublicUser> {
  for (let attempt = 1; attempt <= MAX_OPTIMISTIC_ATTEMPTS; attempt++) {
    const current = await firstOrFresh(attempt, prefetched, () => getUser(accountId, userId));
    if (!current) throw new UserNotFoundError();
    const result = await tryUpdate(current, patch, actor);
    if (result) return result;
  }
  throw new UnavailableError();
}

async function tryUpdate(
  current: UserItem,
  patch: UserPatch,
  actor: Actor,
): Promise<PublicUser | undefined> {
  const T = config.tableName;
  const { accountId, id } = current;
  const next: UserItem = { ...current, updatedAt: nowIso(), version: current.version + 1 };
  const changes: Record<string, unknown> = {};
  const items: TransactItems = [];
  const failures: { index: number; error: () => Error }[] = [];

  if (patch.username !== undefined && patch.username !== current.username) {
    next.username = patch.username;
    next.usernameKey = usernameKey(patch.username);
    changes.username = { from: current.username, to: next.username };
    if (next.usernameKey !== current.usernameKey) {
      // The guard moves with the rename, so the old name is free the moment this commits.
      items.push(guardDelete(keys.usernameGuard(accountId, current.usernameKey), id));
      failures.push({ index: items.length, error: () => new UsernameTakenError() });
      items.push(guardPut(keys.usernameGuard(accountId, next.usernameKey), id));
    }
  }

  if (patch.email !== undefined) {
    const nextKey = patch.email === null ? undefined : emailKey(patch.email);
    if (patch.email?.trim() !== current.email) {
      changes.email = { from: current.email ?? null, to: patch.email?.trim() ?? null };
      next.email = patch.email?.trim() || undefined;
      next.emailKey = nextKey;
    }
    if (nextKey !== current.emailKey) {
      if (current.emailKey) {
        items.push(guardDelete(keys.emailGuard(accountId, current.emailKey), id));
      }
      if (nextKey) {
        failures.push({ index: items.length, error: () => new EmailTakenError() });
        items.push(guardPut(keys.emailGuard(accountId, nextKey), id));
      }
    }
  }

  if (patch.admin !== undefined && patch.admin !== current.admin) {
    next.admin = patch.admin;
    changes.admin = { from: current.admin, to: next.admin };
    if (!patch.admin) failures.push({ index: items.length, error: () => new LastAdminError() });
    items.push(adminCountUpdate(accountId, patch.admin ? 1 : -1));
  }

  if (patch.password !== undefined) {
    await assertStrongPassword(patch.password, next.username);
    next.passwordHash = await hashPassword(patch.password);
    // An admin-set password is a temporary one: the user must choose their own, and every
    // session of theirs ends now.
    next.mustChangePassword = true;
    next.tokenVersion = current.tokenVersion + 1;
    changes.password = 'set';
  }

  if (Object.keys(changes).length === 0) return toPublicUser(current);

  const userIndex = items.length;
  items.push({
    Put: {
      TableName: T,
      // Keys last: `next` is a copy of the stored item, index keys of the old name included.
      Item: {
        ...next,
        ...keys.user(accountId, id),
        ...keys.usersByName(accountId, next.usernameKey),
        type: 'user',
      },
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': current.version },
    },
  });
  items.push(
    auditItem(accountId, {
      actor,
      action: 'user.updated',
      target: { type: 'user', id, name: next.username },
      changes,
    }),
  );

  try {
    await transact(items);
  } catch (err) {
    if (!(err instanceof ConditionsFailed)) throw err;
    if (err.failed(userIndex)) return undefined; // changed under us: read again
    for (const f of failures) if (err.failed(f.index)) throw f.error();
    // A guard delete of ours failed: the item changed under us too.
    return undefined;
  }
  return toPublicUser(next);
}

/** The account's admin counter; lowering it never goes below one admin. */
function adminCountUpdate(accountId: string, delta: 1 | -1): TransactItems[number] {
  return {
    Update: {
      TableName: config.tableName,
      Key: keys.account(accountId),
      UpdateExpression: 'SET adminCount = adminCount + :d',
      ConditionExpression: delta < 0 ? 'adminCount > :one' : 'attribute_exists(PK)',
      ExpressionAttributeValues: delta < 0 ? { ':d': delta, ':one': 1 } : { ':d': delta },
    },
  };
}
