/**
 * The per-request check of the caller, and logout. Every handler runs this (through the
 * middleware), so it stays small: no bcrypt, no SES.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountItem } from './account-store.js';
import { config } from './config.js';
import { db, getItems, type Prefetched } from './db.js';
import { UnauthenticatedError } from './errors.js';
import { type Key, keys } from './keys.js';
import { verifyToken } from './tokens.js';
import { getUser, type UserItem } from './user-store.js';

export type Caller = {
  user: UserItem;
  account?: AccountItem;
  /** The route's target item, when asked for (undefined: it does not exist). */
  target?: Prefetched<Record<string, unknown>>;
};

/**
 * Authenticate a request: verify the bearer token, then read the user (strongly consistent).
 * That read is what makes deletion, demotion, password changes and logout count on the very
 * next request. Routes that need the account get it in the same request (BatchGetItem).
 */
export async function authenticate(
  authorization: string | undefined,
  opts: { withAccount?: boolean; target?: (accountId: string) => Key } = {},
): Promise<Caller> {
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization?.trim() ?? '');
  if (!match?.[1]) throw new UnauthenticatedError();
  const claims = await verifyToken(match[1]);
  const { accountId, userId } = claims;
  // The target key is built from the token's account: another account's id is not found.
  const targetKey = opts.target?.(accountId);
  let user: UserItem | undefined;
  let account: AccountItem | undefined;
  let target: Record<string, unknown> | undefined;
  if (opts.withAccount || targetKey) {
    // One BatchGetItem for everything the route needs beside the caller.
    const wanted = [
      keys.user(accountId, userId),
      ...(opts.withAccount ? [keys.account(accountId)] : []),
      ...(targetKey ? [targetKey] : []),
    ];
    const found = await getItems(wanted);
    user = found[0] as UserItem | undefined;
    if (opts.withAccount) account = found[1] as AccountItem | undefined;
    if (targetKey) target = found.at(-1);
  } else {
    user = await getUser(accountId, userId);
  }
  if (!user || user.tokenVersion !== claims.tokenVersion) throw new UnauthenticatedError();
  return {
    user,
    ...(account ? { account } : {}),
    ...(targetKey ? { target: { item: target } } : {}),
  };
}

/** Sign the user out everywhere: every token issued so far stops working. */
export async function logout(user: UserItem): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: keys.user(user.accountId, user.id),
        UpdateExpression: 'SET tokenVersion = tokenVersion + :one, version = version + :one',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return; // already gone
    throw err;
  }
}
