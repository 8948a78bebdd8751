/**
 * The scheduled removal of expired and used reset tokens (see reset.ts for their life).
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';
import { db } from './db.js';
import { keys } from './keys.js';

/**
 * Delete reset tokens that are expired or used, found through the sparse byExpiry index: the
 * work grows with the removable tokens, not with the table. Each delete is conditional on the
 * expiry it was found with, so a token re-issued meanwhile survives. Idempotent.
 */
export async function cleanupResetTokens(
  now = new Date(),
): Promise<{ removed: number; read: number }> {
  const T = config.tableName;
  const { GSI3PK } = keys.resetExpiry();
  let removed = 0;
  let read = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: T,
        IndexName: 'byExpiry',
        KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :now',
        ExpressionAttributeValues: { ':pk': GSI3PK, ':now': now.toISOString() },
        ExclusiveStartKey: start,
      }),
    );
    read += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      try {
        await db().send(
          new DeleteCommand({
            TableName: T,
            Key: { PK: item.PK, SK: item.SK },
            ConditionExpression: 'GSI3SK = :sk',
            ExpressionAttributeValues: { ':sk': item.GSI3SK },
          }),
        );
        removed++;
      } catch (err) {
        if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { removed, read };
}
