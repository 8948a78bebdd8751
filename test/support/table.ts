/** Direct reads of the table for assertions ("nothing changed", counters). */
import { getAccount } from '../../lib/account-store.js';
import { readPartition } from '../../lib/verify.js';

/** Every item of an account's partition, in key order, as one comparable value. */
export function snapshot(accountId: string): Promise<Record<string, unknown>[]> {
  return readPartition(accountId);
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
