/**
 * Deleting a user: one transaction that removes the user, their guards and pending reset
 * items, frees the seat and keeps the admin count, with the audit event.
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
  CannotDeleteSelfError,
  LastAdminError,
  UnavailableError,
  UserNotFoundError,
} from './errors.js';
import { keys } from './keys.js';
import { guardDelete, MAX_OPTIMISTIC_ATTEMPTS } from './user-guards.js';
import { getUser, type UserItem } from './user-store.js';

/**
 * Delete a user for good: the user item and guards go, the seat is freed and the admin count
 * kept in one transaction. Their tokens fail at once (no user item), their name stays in the
 * audit log (events copy it).
 */
export async function deleteUser(
  accountId: string,
  userId: string,
  actor: Actor,
  prefetched?: Prefetched<UserItem>,
): Promise<void> {
  if (userId === actor.id) throw new CannotDeleteSelfError();
  const T = config.tableName;
  for (let attempt = 1; attempt <= MAX_OPTIMISTIC_ATTEMPTS; attempt++) {
    const user = await firstOrFresh(attempt, prefetched, () => getUser(accountId, userId));
    if (!user) throw new UserNotFoundError();
    const items: TransactItems = [
      {
        Delete: {
          TableName: T,
          Key: keys.user(accountId, userId),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': user.version },
        },
      },
      {
        Update: {
          TableName: T,
          Key: keys.account(accountId),
          UpdateExpression: 'SET userCount = userCount - :one, adminCount = adminCount - :adm',
          ConditionExpression: user.admin ? 'adminCount > :one' : 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':one': 1, ':adm': user.admin ? 1 : 0 },
        },
      },
      guardDelete(keys.usernameGuard(accountId, user.usernameKey), userId),
      ...(user.emailKey ? [guardDelete(keys.emailGuard(accountId, user.emailKey), userId)] : []),
      { Delete: { TableName: T, Key: keys.resetToken(accountId, userId) } },
      { Delete: { TableName: T, Key: keys.resetRate(accountId, userId) } },
      auditItem(accountId, {
        actor,
        action: 'user.deleted',
        target: { type: 'user', id: userId, name: user.username },
        changes: {},
      }),
    ];
    try {
      await transact(items);
      return;
    } catch (err) {
      if (!(err instanceof ConditionsFailed)) throw err;
      // The user changed or went under us: read again (a racing delete then answers 404).
      // Checked first, as the admin counter's condition fails too when the user is gone.
      if (err.failed(0)) continue;
      if (err.failed(1)) throw new LastAdminError();
    }
  }
  throw new UnavailableError();
}
