/**
 * One page of a Query, with the contract's signed cursors. Every list (users, employees, the
 * audit log) pages the same way: one Query per page, asking for one row more than the page
 * to know whether a next page exists.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { db } from './db.js';
import { InvalidCursorError } from './errors.js';

type Row = Record<string, unknown>;

export type PageSpec<T> = {
  /** The list's name; a cursor of one list is refused by another. */
  list: string;
  accountId: string;
  limit: number;
  cursor?: string | undefined;
  /** The Query, without table, limit and start key. */
  query: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;
  /** The key attributes (table and index) of a row: what a cursor remembers. */
  keyOf: (row: Row) => Record<string, string>;
  /**
   * The key to start after, rebuilt from a cursor's position and the caller's account, so a
   * cursor can only ever point inside that account.
   */
  startKey: (position: Record<string, string>) => Record<string, string>;
  map: (row: Row) => T;
};

/** Read one page. */
export async function queryPage<T>(
  spec: PageSpec<T>,
): Promise<{ items: T[]; nextCursor: string | null }> {
  let start: Record<string, string> | undefined;
  if (spec.cursor) {
    const position = await decodeCursor(spec.list, spec.accountId, spec.cursor);
    try {
      start = spec.startKey(position);
    } catch {
      throw new InvalidCursorError();
    }
  }
  const out = await db().send(
    new QueryCommand({
      ...spec.query,
      TableName: config.tableName,
      Limit: spec.limit + 1,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const rows = out.Items ?? [];
  const page = rows.slice(0, spec.limit);
  const last = page.at(-1);
  return {
    items: page.map(spec.map),
    nextCursor:
      rows.length > spec.limit && last
        ? await encodeCursor(spec.list, spec.accountId, spec.keyOf(last))
        : null,
  };
}

/** A position field, or a refusal (a signed cursor of ours always has it). */
export function field(position: Record<string, string>, name: string): string {
  const value = position[name];
  if (value === undefined) throw new InvalidCursorError();
  return value;
}
