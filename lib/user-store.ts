/**
 * Reading users: the stored shape, the API's view of it, and the lookups. Nothing here hashes
 * or compares passwords, so handlers that only read (and the auth middleware every handler
 * runs) don't carry bcrypt.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';
import { db, getItem, type Prefetched } from './db.js';
import { UserNotFoundError } from './errors.js';
import { keys, usernameKey } from './keys.js';
import { field, queryPage } from './paging.js';

/** The user item as stored. */
export type UserItem = {
  id: string;
  accountId: string;
  username: string;
  usernameKey: string;
  email?: string;
  emailKey?: string;
  admin: boolean;
  passwordHash: string;
  mustChangePassword: boolean;
  /** Bumped to sign the user out everywhere; tokens carry the value they were issued with. */
  tokenVersion: number;
  /** Bumped on every write; writes are conditional on it (optimistic concurrency). */
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** A user as the API shows it: never a hash. */
export type PublicUser = {
  id: string;
  username: string;
  email: string | null;
  admin: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  updatedAt: string;
};

/** The API's view of a stored user. */
export function toPublicUser(u: UserItem): PublicUser {
  return {
    id: u.id,
    username: u.username,
    email: u.email ?? null,
    admin: u.admin,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

/** Read one user of an account (strongly consistent), or undefined. */
export function getUser(accountId: string, userId: string): Promise<UserItem | undefined> {
  return getItem<UserItem>(keys.user(accountId, userId));
}

/** Find a user by username through the byName index (login). */
export async function findUserByUsername(
  accountId: string,
  username: string,
): Promise<UserItem | undefined> {
  const ix = keys.usersByName(accountId, usernameKey(username));
  const out = await db().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: 'byName',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK = :sk',
      ExpressionAttributeValues: { ':pk': ix.GSI1PK, ':sk': ix.GSI1SK },
      Limit: 1,
    }),
  );
  return out.Items?.[0] as UserItem | undefined;
}

/** Page through an account's users sorted by username, optionally by username prefix. */
export function listUsers(
  accountId: string,
  opts: { limit: number; cursor?: string | undefined; q?: string | undefined },
): Promise<{ items: PublicUser[]; nextCursor: string | null }> {
  const { GSI1PK } = keys.usersByName(accountId);
  const prefix = opts.q ? keys.usersByName(accountId, usernameKey(opts.q)).GSI1SK : undefined;
  return queryPage({
    // A cursor belongs to one search: another `q` would start outside its prefix.
    list: prefix === undefined ? 'users' : `users?q=${prefix}`,
    accountId,
    limit: opts.limit,
    cursor: opts.cursor,
    query: {
      IndexName: 'byName',
      KeyConditionExpression: prefix
        ? 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)'
        : 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': GSI1PK, ...(prefix ? { ':prefix': prefix } : {}) },
    },
    keyOf: (row) => ({ k: row.GSI1SK as string, id: row.id as string }),
    startKey: (p) => ({ GSI1PK, GSI1SK: field(p, 'k'), ...keys.user(accountId, field(p, 'id')) }),
    map: (row) => toPublicUser(row as UserItem),
  });
}

/**
 * The API view of a user read ahead with the caller (GET /v1/users/{id}); the read used the
 * caller's account, so another account's id is a 404 like any unknown one.
 */
export function publicUserOf(target: Prefetched<UserItem> | undefined): PublicUser {
  if (!target) throw new Error('users-get must read its target ahead (readsTarget)');
  if (!target.item) throw new UserNotFoundError();
  return toPublicUser(target.item);
}
