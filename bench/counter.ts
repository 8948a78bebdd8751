/**
 * Counts DynamoDB requests by an SDK middleware on the service's own document client (the one
 * `db()` in lib/db.ts hands out), so every call any handler makes is seen, whatever module
 * makes it. While recording, each call also asks for ReturnConsumedCapacity TOTAL (table plus
 * indexes; DynamoDB Local answers it), which gives the read and write units per call, except
 * for transactions, whose units Local gets wrong: those are estimated from the sizes of their
 * items, read before and after by a second, uncounted client (bench/units.ts).
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { transactionItemUnits } from './units.js';

export type DbCall = {
  /** Low-level operation: GetItem, BatchGetItem, Query, TransactWriteItems, … */
  op: string;
  /** Keys asked for (BatchGet), items in the transaction or batch, items read (Query/Scan). */
  items: number;
  /** Capacity units the call consumed (reads for read operations, writes for writes). */
  units: number | null;
  /** Error name when the call failed (a failed condition still costs write units). */
  error?: string;
  /** Where `units` comes from. */
  unitsFrom?: 'local' | 'item sizes';
};

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

export const isRead = (op: string) => READS.has(op);
export const isWrite = (op: string) => WRITES.has(op);

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

function unitsOf(capacity: Capacity): number | null {
  if (capacity === undefined) return null;
  const list = Array.isArray(capacity) ? capacity : [capacity];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

function itemsIn(op: string, input: Record<string, unknown>): number {
  if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
    return (input.TransactItems as unknown[] | undefined)?.length ?? 0;
  }
  const requests = input.RequestItems as Record<string, unknown> | undefined;
  if (op === 'BatchGetItem' && requests) {
    return Object.values(requests).reduce<number>(
      (n, r) => n + ((r as { Keys?: unknown[] }).Keys?.length ?? 0),
      0,
    );
  }
  if (op === 'BatchWriteItem' && requests) {
    return Object.values(requests).reduce<number>((n, r) => n + (r as unknown[]).length, 0);
  }
  return 1;
}

type Key = { table: string; key: Record<string, unknown> };

/** The items a TransactWriteItems touches (the input may already be marshalled). */
function transactionKeys(input: Record<string, unknown>): Key[] {
  const plain = (v: unknown) => {
    const o = v as Record<string, unknown>;
    const pk = o.PK as unknown;
    return pk !== null && typeof pk === 'object' ? unmarshall(o as never) : o;
  };
  return ((input.TransactItems ?? []) as Record<string, Record<string, unknown>>[]).map((entry) => {
    const [op] = Object.values(entry) as Record<string, unknown>[];
    const o = op as { TableName: string; Item?: unknown; Key?: unknown };
    const item = plain(o.Item ?? o.Key);
    return { table: o.TableName, key: { PK: item.PK, SK: item.SK } };
  });
}

export class DbCounter {
  private calls: DbCall[] | undefined;

  /** `probe` reads items around transactions; it must not be the counted client. */
  constructor(private readonly probe: DynamoDBDocumentClient) {}

  private async read(keys: Key[]): Promise<(Record<string, unknown> | undefined)[]> {
    return Promise.all(
      keys.map(
        async (k) =>
          (
            await this.probe.send(
              new GetCommand({ TableName: k.table, Key: k.key, ConsistentRead: true }),
            )
          ).Item,
      ),
    );
  }

  /** Add the counting middleware to a document client (it shares the base client's stack). */
  attach(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const calls = this.calls;
        if (!calls) return next(args);
        const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        if (isRead(op) || isWrite(op)) input.ReturnConsumedCapacity = 'TOTAL';
        const call: DbCall = { op, items: itemsIn(op, input), units: null, unitsFrom: 'local' };
        calls.push(call);
        const tx = op === 'TransactWriteItems' ? transactionKeys(input) : undefined;
        const before = tx ? await this.read(tx) : [];
        const priceTransaction = async () => {
          if (!tx) return;
          const after = await this.read(tx);
          call.units = before.reduce<number>((n, b, i) => n + transactionItemUnits(b, after[i]), 0);
          call.unitsFrom = 'item sizes';
        };
        try {
          const out = await next(args);
          const output = out.output as {
            ConsumedCapacity?: Capacity;
            ScannedCount?: number;
            Count?: number;
          };
          call.units = unitsOf(output.ConsumedCapacity);
          if (op === 'Query' || op === 'Scan') {
            call.items = output.ScannedCount ?? output.Count ?? 0;
          }
          await priceTransaction();
          return out;
        } catch (err) {
          call.error = (err as Error).name;
          await priceTransaction();
          throw err;
        }
      },
      { step: 'initialize', name: 'benchDbCounter', override: true },
    );
  }

  /** Run `fn` and answer what it asked of DynamoDB. */
  async record<T>(fn: () => Promise<T>): Promise<{ result: T; calls: DbCall[] }> {
    const calls: DbCall[] = [];
    this.calls = calls;
    try {
      return { result: await fn(), calls };
    } finally {
      this.calls = undefined;
    }
  }
}

export type CallSummary = {
  calls: number;
  reads: number;
  writes: number;
  /** e.g. { BatchGetItem: 1, TransactWriteItems: 1 } */
  byOp: Record<string, number>;
  /** Items per transaction (one entry per TransactWriteItems). */
  transactionItems: number[];
  /** Items read by Query/Scan. */
  itemsRead: number;
  readUnits: number;
  writeUnits: number;
  /** True when some call returned no ConsumedCapacity. */
  unitsMissing: boolean;
  scans: number;
};

export function summarizeCalls(calls: DbCall[]): CallSummary {
  const byOp: Record<string, number> = {};
  for (const c of calls) byOp[c.op] = (byOp[c.op] ?? 0) + 1;
  const sum = (list: DbCall[]) => list.reduce((n, c) => n + (c.units ?? 0), 0);
  return {
    calls: calls.length,
    reads: calls.filter((c) => isRead(c.op)).length,
    writes: calls.filter((c) => isWrite(c.op)).length,
    byOp,
    transactionItems: calls.filter((c) => c.op === 'TransactWriteItems').map((c) => c.items),
    itemsRead: calls
      .filter((c) => c.op === 'Query' || c.op === 'Scan')
      .reduce((n, c) => n + c.items, 0),
    readUnits: sum(calls.filter((c) => isRead(c.op))),
    writeUnits: sum(calls.filter((c) => isWrite(c.op))),
    unitsMissing: calls.some((c) => c.units === null),
    scans: calls.filter((c) => c.op === 'Scan').length,
  };
}

/** "BatchGetItem, TransactWriteItems(5)" */
export function describeCalls(s: CallSummary): string {
  return Object.entries(s.byOp)
    .map(([op, n]) => {
      const tx = op === 'TransactWriteItems' ? `(${s.transactionItems.join('+')} items)` : '';
      return `${n > 1 ? `${n}×` : ''}${op}${tx}`;
    })
    .join(', ');
}
