/** Direct reads of the table for assertions ("nothing changed", counters). */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getAccount } from '../../lib/account-store.js';
import { config } from '../../lib/config.js';
import { db } from '../../lib/db.js';
import { keys } from '../../lib/keys.js';

/** Every item of an account's partition, sorted by key, as one comparable value. */
export async function snapshot(accountId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.account(accountId).PK },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The account's counters as stored. */
export async function counters(accountId: string) {
  const a = await getAccount(accountId);
  return { userCount: a?.userCount, adminCount: a?.adminCount };
}

/** Items of a partition whose sort key starts with `prefix`. */
export async function itemsWithPrefix(accountId: string, prefix: string) {
  return (await snapshot(accountId)).filter((i) => String(i.SK).startsWith(prefix));
}
