/**
 * Write units of a TransactWriteItems estimated from item sizes, as DynamoDB bills them.
 * DynamoDB Local's ConsumedCapacity for transactions is not usable (four small puts in one
 * transaction come back as 2 units instead of 8), so the counter reads every item of the
 * transaction before and after it and prices it here: 2 WCU per started KB of the larger of
 * the item before and after (a transaction writes each item twice), plus 1 WCU per started KB
 * written to each index the item is, was or moves in (index upkeep is an ordinary write).
 */
import { TABLE } from '../lib/keys.js';

type Item = Record<string, unknown>;

/** DynamoDB's size of a value (bytes), after its documented rules. */
function valueSize(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value)
      .replace(/[-.]|e.*$/gi, '')
      .replace(/^0+|0+$/g, '').length;
    return Math.ceil(Math.max(digits, 1) / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueSize(v), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Item).reduce(
        (n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v),
        0,
      )
    );
  }
  return 0;
}

/** Size of an item: every attribute name plus its value. */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + valueSize(v),
    0,
  );
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

function indexKey(item: Item | undefined, pk: string, sk: string | undefined): string | undefined {
  if (!item || item[pk] === undefined) return undefined;
  if (sk && item[sk] === undefined) return undefined;
  return JSON.stringify([item[pk], sk ? item[sk] : null]);
}

function projected(item: Item, projection: string, pk: string, sk: string | undefined): Item {
  if (projection === 'ALL') return item;
  const keep = [TABLE.partitionKey, TABLE.sortKey, pk, ...(sk ? [sk] : [])];
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.includes(k)));
}

/** Index write units of one item going from `before` to `after`. */
function indexUnits(before: Item | undefined, after: Item | undefined): number {
  let units = 0;
  const changed = JSON.stringify(before) !== JSON.stringify(after);
  for (const ix of Object.values(TABLE.indexes)) {
    const sk = ix.sortKey as string | undefined;
    const was = indexKey(before, ix.partitionKey, sk);
    const is = indexKey(after, ix.partitionKey, sk);
    if (!was && !is) continue;
    if (was && is && was === is) {
      // Same index entry: rewritten when a projected attribute changed.
      if (!changed) continue;
      const a = projected(before as Item, ix.projection, ix.partitionKey, sk);
      const b = projected(after as Item, ix.projection, ix.partitionKey, sk);
      if (JSON.stringify(a) !== JSON.stringify(b)) units += kb(Math.max(itemSize(a), itemSize(b)));
      continue;
    }
    if (was && before) units += kb(itemSize(projected(before, ix.projection, ix.partitionKey, sk)));
    if (is && after) units += kb(itemSize(projected(after, ix.projection, ix.partitionKey, sk)));
  }
  return units;
}

/** Write units of one transaction item. */
export function transactionItemUnits(before: Item | undefined, after: Item | undefined): number {
  return 2 * kb(Math.max(itemSize(before), itemSize(after))) + indexUnits(before, after);
}
