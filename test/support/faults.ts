/**
 * Test-only fault injection for the AWS SDK clients lib/ uses. A middleware sits inside the
 * SDK's retry loop (so every retry meets the dice again) and, at a chosen rate and from a
 * seeded generator, answers an attempt with a fault instead of the real service:
 *
 * - DynamoDB: `ProvisionedThroughputExceededException`, a `TransactionCanceledException` whose
 *   reasons say `TransactionConflict` (transactions only), a 500 `InternalServerError`, a
 *   timeout before the request reaches the table, and a timeout after it did (the write
 *   happened, the answer was lost).
 * - SES: `Throttling` ("Maximum sending rate exceeded").
 *
 * Faults are real HTTP answers that the SDK's own deserialiser turns into its exceptions, so
 * retry classification and error names are exactly what lib/ meets in AWS.
 *
 * Attempts are counted per SDK command and, through AsyncLocalStorage, per API request: wrap a
 * request in `track()` and read its usage afterwards.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDb, setDb } from '../../lib/db.js';
import { createSes, setSes } from '../../lib/mailer.js';

export type DynamoFault = 'throttle' | 'conflict' | 'server' | 'timeout' | 'lostResponse';
export type SesFault = 'sesThrottle';
export type Fault = DynamoFault | SesFault;

export const DYNAMO_FAULTS: DynamoFault[] = [
  'throttle',
  'conflict',
  'server',
  'timeout',
  'lostResponse',
];

/** What one API request cost in SDK calls. */
export type Usage = {
  /** SDK commands sent (each may be attempted several times). */
  commands: number;
  /** HTTP attempts over all commands (first tries and SDK retries). */
  attempts: number;
  /** The most attempts any single command needed. */
  maxAttemptsPerCommand: number;
  /** Faults injected into this request. */
  faults: number;
};

export type FaultOptions = {
  /** Probability that an attempt is answered with a fault (0..1). */
  rate: number;
  /** Seed of the generator that decides which attempts fail and how. */
  seed: number;
  /** DynamoDB faults to choose from, uniformly (default: all). */
  dynamo?: DynamoFault[];
  /** Whether SES sends are faulted too (at the same rate). */
  ses?: boolean;
  /** Only fault these DynamoDB operations (e.g. `TransactWriteItems`); default all. */
  operations?: string[];
  /**
   * A script instead of dice: the answers to the next matching attempts, in order (`null`
   * lets one through); once used up, the rate applies.
   */
  script?: (DynamoFault | null)[];
  /** Keep the request body of every DynamoDB write that succeeded (see `writes`). */
  recordWrites?: boolean;
};

/** mulberry32: small, fast and seeded, so a run's fault sequence can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

type Store = { usage: Usage };

/** Builds faulty clients, installs them into lib/ and keeps the count of what happened. */
export class FaultInjector {
  readonly injected: Record<Fault, number> = {
    throttle: 0,
    conflict: 0,
    server: 0,
    timeout: 0,
    lostResponse: 0,
    sesThrottle: 0,
  };
  /**
   * Bodies of the DynamoDB writes that succeeded since the last clear (with `recordWrites`):
   * which partitions a request wrote to, read off what was really sent.
   */
  readonly writes: { operation: string; body: string }[] = [];
  /** Totals over every request (tracked or not). */
  readonly totals: Usage = { commands: 0, attempts: 0, maxAttemptsPerCommand: 0, faults: 0 };
  private readonly random: () => number;
  private readonly als = new AsyncLocalStorage<Store>();
  private readonly clients: { destroy(): void }[] = [];

  constructor(private readonly options: FaultOptions) {
    this.random = seeded(options.seed);
  }

  /** Change the rate (0 switches injection off) without touching the counters. */
  setRate(rate: number): void {
    this.options.rate = rate;
  }

  /** A document client built like lib/db.ts builds its own, plus the fault middleware. */
  dynamoClient(): DynamoDBDocumentClient {
    return createDb((base) => {
      this.instrument(base.middlewareStack, 'dynamo');
      this.clients.push(base);
    });
  }

  /** An SES client built like lib/mailer.ts builds its own, plus the fault middleware. */
  sesClient(): SESClient {
    const client = createSes();
    this.instrument(client.middlewareStack, 'ses');
    this.clients.push(client);
    return client;
  }

  /** Put faulty clients in place of lib/'s own (setDb, and setSes when asked for). */
  install(): this {
    setDb(this.dynamoClient());
    if (this.options.ses) setSes(this.sesClient());
    return this;
  }

  /** Give lib/ its normal clients back. */
  restore(): void {
    setDb(undefined);
    setSes(undefined);
    for (const c of this.clients.splice(0)) c.destroy();
  }

  /** Run `fn` as one request and answer what it cost in SDK calls. */
  async track<T>(fn: () => Promise<T>): Promise<{ result: T; usage: Usage }> {
    const store: Store = {
      usage: { commands: 0, attempts: 0, maxAttemptsPerCommand: 0, faults: 0 },
    };
    const result = await this.als.run(store, fn);
    return { result, usage: store.usage };
  }

  /** Let an attempt through to the real service, noting it if it is a successful write. */
  private async pass(next: (args: any) => Promise<any>, args: any, operation: string) {
    const out = await next(args);
    // The raw answer: errors are only thrown by the deserialiser further out.
    const ok = (out?.response?.statusCode ?? 500) < 300;
    if (this.options.recordWrites && ok && WRITES.has(operation)) {
      this.writes.push({ operation, body: bodyText(args.request.body) });
    }
    return out;
  }

  /** Whether this attempt fails, and how; undefined lets it through to the real service. */
  private pick(service: 'dynamo' | 'ses'): Fault | undefined {
    if (service === 'dynamo' && this.options.script?.length) {
      return this.options.script.shift() ?? undefined;
    }
    if (this.options.rate <= 0 || this.random() >= this.options.rate) return undefined;
    if (service === 'ses') return 'sesThrottle';
    const kinds = this.options.dynamo ?? DYNAMO_FAULTS;
    return kinds[Math.floor(this.random() * kinds.length)];
  }

  private instrument(stack: { add: (mw: any, opts: any) => void }, service: 'dynamo' | 'ses') {
    const usages = () => [
      this.totals,
      ...(this.als.getStore() ? [this.als.getStore()!.usage] : []),
    ];
    // Once per command, outside the retry loop: the command's own attempt counter.
    stack.add(
      (next: any, context: any) => async (args: any) => {
        for (const u of usages()) u.commands++;
        context.faultAttempts = 0;
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'faultCommandCounter' },
    );
    // Once per attempt, inside the retry loop and inside the deserialiser: the answer to fake.
    stack.add(
      (next: any, context: any) => async (args: any) => {
        context.faultAttempts = (context.faultAttempts ?? 0) + 1;
        for (const u of usages()) {
          u.attempts++;
          u.maxAttemptsPerCommand = Math.max(u.maxAttemptsPerCommand, context.faultAttempts);
        }
        const request = args.request;
        const operation =
          service === 'dynamo'
            ? (String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '')
            : 'SendEmail';
        if (this.options.operations && !this.options.operations.includes(operation)) {
          return this.pass(next, args, operation);
        }
        const scripted = service === 'dynamo' && Boolean(this.options.script?.length);
        let fault = this.pick(service);
        if (!fault) return this.pass(next, args, operation);
        // Only transactions can be cancelled; a lost answer only matters for a write. Once a
        // write has reached the table, the SDK's retries replay it with the same
        // ClientRequestToken, which DynamoDB answers from its idempotency record: the dice
        // never make that replay conflict (a script may, on purpose).
        if (
          fault === 'conflict' &&
          (operation !== 'TransactWriteItems' || (context.faultWritten && !scripted))
        ) {
          fault = 'throttle';
        }
        if (fault === 'lostResponse' && !WRITES.has(operation)) fault = 'timeout';
        this.injected[fault]++;
        for (const u of usages()) u.faults++;
        switch (fault) {
          case 'throttle':
            return answer(400, dynamoError('ProvisionedThroughputExceededException', THROTTLED));
          case 'server':
            return answer(500, dynamoError('InternalServerError', 'Internal server error'));
          case 'conflict': {
            const body = JSON.parse(bodyText(request.body)) as { TransactItems?: unknown[] };
            const reasons = (body.TransactItems ?? []).map((_, i) =>
              i === 0
                ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
                : { Code: 'None' },
            );
            return answer(400, {
              ...dynamoError(
                'TransactionCanceledException',
                'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
              ),
              CancellationReasons: reasons,
            });
          }
          case 'timeout':
            throw timeoutError();
          case 'lostResponse':
            await next(args);
            context.faultWritten = true;
            throw timeoutError();
          case 'sesThrottle':
            return answerXml(
              400,
              `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
            );
        }
      },
      { step: 'deserialize', priority: 'low', name: 'faultInjector' },
    );
  }
}

/** A request body as text; the SDK's is a Uint8Array that warns when used as a string. */
function bodyText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  return raw instanceof Uint8Array ? new TextDecoder().decode(raw) : '';
}

const THROTTLED =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';

function dynamoError(type: string, message: string) {
  return { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message };
}

function answer(statusCode: number, body: unknown) {
  return {
    response: {
      statusCode,
      reason: statusCode === 500 ? 'Internal Server Error' : 'Bad Request',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': crypto.randomUUID(),
      },
      body: Buffer.from(JSON.stringify(body)),
    },
  };
}

function answerXml(statusCode: number, xml: string) {
  return {
    response: {
      statusCode,
      reason: 'Bad Request',
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': crypto.randomUUID() },
      body: Buffer.from(xml),
    },
  };
}

/** What the SDK's node HTTP handler throws when a request times out. */
function timeoutError(): Error {
  return Object.assign(new Error('Connection timed out after 1000 ms'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
}
