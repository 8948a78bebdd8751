/**
 * Pieces every user write shares: the uniqueness guard items and the optimistic retry bound.
 * Kept apart from users.ts so deleting a user (user-delete.ts) doesn't carry bcrypt.
 */
import { config } from './config.js';
import type { TransactItems } from './db.js';

/** Optimistic writes retry this often when the target changed between read and write. */
export const MAX_OPTIMISTIC_ATTEMPTS = 5;

/** Claim a unique value (username, email) for a user; fails if anyone holds it. */
export function guardPut(key: { PK: string; SK: string }, userId: string): TransactItems[number] {
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...key, type: 'guard', userId },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Release a unique value, only if this user holds it. */
export function guardDelete(
  key: { PK: string; SK: string },
  userId: string,
): TransactItems[number] {
  return {
    Delete: {
      TableName: config.tableName,
      Key: key,
      // Only ever remove the guard that belongs to this user.
      ConditionExpression: 'userId = :uid',
      ExpressionAttributeValues: { ':uid': userId },
    },
  };
}
