/**
 * The DynamoDB document client and the transaction helper every write goes through.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { config } from './config.js';
import { UnavailableError } from './errors.js';

let client: DynamoDBDocumentClient | undefined;

/** The shared document client, built on first use (cold start pays only when a request needs it). */
export function db(): DynamoDBDocumentClient {
  client ??= createDb();
  return client;
}

/**
 * A document client as the service uses it (the configured endpoint, bounded SDK retries);
 * `instrument` lets tests add middleware to the base client (fault injection).
 */
export function createDb(instrument?: (base: DynamoDBClient) => void): DynamoDBDocumentClient {
  const endpoint = config.dynamoEndpoint;
  const base = new DynamoDBClient({
    region: config.region,
    maxAttempts: 4,
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  instrument?.(base);
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}

/** Replace the client (tests inject fault middleware through this). */
export function setDb(next: DynamoDBDocumentClient | undefined): void {
  client = next;
}

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** A transaction cancelled because one or more of its conditions failed. */
export class ConditionsFailed extends Error {
  constructor(
    /** Per item of the transaction: its cancellation code (or undefined) and old item. */
    readonly reasons: { code?: string; item?: Record<string, unknown> }[],
  ) {
    super('Transaction conditions failed');
  }
  /** True when the condition of the item at `index` failed. */
  failed(index: number): boolean {
    return this.reasons[index]?.code === 'ConditionalCheckFailed';
  }
}

const MAX_TRANSACTION_ATTEMPTS = 6;

/**
 * Run a write transaction. Conflicts with concurrent transactions are retried with full
 * jitter backoff (the SDK does not retry them: they come back as a cancellation); failed
 * conditions throw `ConditionsFailed` for the caller to name; anything still conflicting
 * after the retries becomes a 503.
 */
export async function transact(items: TransactItems): Promise<void> {
  // Each attempt gets its own idempotency token (the SDK's default; its own retries of a
  // lost answer reuse it). Whether DynamoDB re-runs a cancelled transaction sent again under
  // the same token is not documented, so our retries after a conflict don't risk it.
  for (let attempt = 1; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (err) {
      if (!isCancellation(err)) throw err;
      const reasons = (err.CancellationReasons ?? []).map((r) => ({
        code: r.Code === 'None' ? undefined : r.Code,
        item: r.Item ? unmarshall(r.Item as never) : undefined,
      }));
      if (reasons.some((r) => r.code === 'ConditionalCheckFailed')) {
        throw new ConditionsFailed(reasons);
      }
      const retryable = reasons.some(
        (r) => r.code === 'TransactionConflict' || r.code === 'ThrottlingError',
      );
      if (!retryable || attempt >= MAX_TRANSACTION_ATTEMPTS) {
        if (retryable) throw new UnavailableError();
        throw err;
      }
      await backoff(attempt);
    }
  }
}

type Cancellation = Error & {
  CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[];
};

function isCancellation(err: unknown): err is Cancellation {
  return err instanceof Error && err.name === 'TransactionCanceledException';
}

/** Full-jitter exponential backoff: 0..(25ms * 2^attempt), capped at 1 s. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(1000, 25 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Errors that mean "the database is busy or down", surfaced as 503 once retries are spent. */
export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const meta = (err as { $metadata?: { httpStatusCode?: number } }).$metadata;
  return (
    [
      'ProvisionedThroughputExceededException',
      'ThrottlingException',
      'RequestLimitExceeded',
      'InternalServerError',
      'ServiceUnavailable',
      'TransactionInProgressException',
      'TimeoutError',
    ].includes(err.name) || (meta?.httpStatusCode ?? 0) >= 500
  );
}

/** Read one item by key (strongly consistent), or undefined. */
export async function getItem<T = Record<string, unknown>>(key: {
  PK: string;
  SK: string;
}): Promise<T | undefined> {
  const out = await db().send(
    new GetCommand({ TableName: config.tableName, Key: key, ConsistentRead: true }),
  );
  return out.Item as T | undefined;
}

/**
 * Read a few items by key in one request (BatchGetItem, strongly consistent), answered in
 * the order of `keyList`; a missing item is undefined. The same key may appear twice
 * (BatchGetItem itself refuses that): it is read once. Unprocessed keys (DynamoDB returns
 * them under throttling) are fetched again a bounded number of times.
 */
export async function getItems(
  keyList: { PK: string; SK: string }[],
): Promise<(Record<string, unknown> | undefined)[]> {
  const found: Record<string, unknown>[] = [];
  const unique = [...new Map(keyList.map((k) => [`${k.PK}\0${k.SK}`, k])).values()];
  let pending: Record<string, unknown>[] | undefined = unique;
  for (let attempt = 1; pending && pending.length > 0; attempt++) {
    if (attempt > MAX_TRANSACTION_ATTEMPTS) throw new UnavailableError();
    if (attempt > 1) await backoff(attempt);
    const out: BatchGetCommandOutput = await db().send(
      new BatchGetCommand({
        RequestItems: { [config.tableName]: { Keys: pending, ConsistentRead: true } },
      }),
    );
    found.push(...(out.Responses?.[config.tableName] ?? []));
    pending = out.UnprocessedKeys?.[config.tableName]?.Keys;
  }
  return keyList.map((k) => found.find((i) => i.PK === k.PK && i.SK === k.SK));
}

/** An item read ahead (with the caller, by the middleware); `item` undefined: not found. */
export type Prefetched<T> = { item: T | undefined };

/**
 * The target of a read-then-write: the prefetched item on the first attempt, a fresh
 * strongly consistent read on the retries that follow a lost optimistic race.
 */
export function firstOrFresh<T>(
  attempt: number,
  prefetched: Prefetched<T> | undefined,
  read: () => Promise<T | undefined>,
): Promise<T | undefined> {
  return attempt === 1 && prefetched ? Promise.resolve(prefetched.item) : read();
}
