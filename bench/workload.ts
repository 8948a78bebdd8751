/**
 * The part of `npm run bench` that drives the handlers (sections 2, 3 and 5), run by bench/run.ts
 * as a child process: a fresh module graph, the environment set before anything of lib/ loads,
 * and the handlers' request logs (lib/logger.ts, INFO as deployed) going to /dev/null instead of
 * the report. Results go back over IPC.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { useLocalServices } from '../infra/local/env.js';
import { config } from '../lib/config.js';
import { db } from '../lib/db.js';
import { hashPassword } from '../lib/passwords.js';
import { DbCounter } from './counter.js';
import { benchOverhead, benchRoutes, fixtures, SEED_PASSWORD } from './requests.js';
import { benchScale } from './scale.js';
import type { WorkloadMessage } from './types.js';

function send(message: WorkloadMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send)
      return reject(new Error('bench/workload.ts runs as a child of bench/run.ts'));
    process.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (bench/run.ts sets it)`);
  return value;
}

const progress = (line: string) => {
  void send({ type: 'progress', line });
};

async function main() {
  // What the deployed stack waits in forgot-password (it sets no FORGOT_PASSWORD_MIN_MS), read
  // before the bench turns the wait off: the wait is idle time, it only slows the run down.
  const forgotFloorMs = config.forgotPasswordMinMs;
  process.env.FORGOT_PASSWORD_MIN_MS = '0';
  process.env.AWS_REGION = 'eu-west-1'; // the region infra/local/services.ts creates tables in
  useLocalServices({
    dynamoEndpoint: env('BENCH_DYNAMO_ENDPOINT'),
    sesEndpoint: env('BENCH_SES_ENDPOINT'),
    tableName: env('BENCH_TABLE'),
    signingKeys: env('BENCH_SIGNING_KEYS'),
    appUrl: 'https://app.capptro.example',
  });
  const runs = Number(process.env.BENCH_RUNS ?? 200);
  const bcryptRuns = Number(process.env.BENCH_BCRYPT_RUNS ?? 30);
  const scaleRuns = Number(process.env.BENCH_SCALE_RUNS ?? 50);
  const sizes = (process.env.BENCH_SIZES ?? '100,10000,100000').split(',').map(Number);
  const sesEndpoint = config.sesEndpoint as string;

  // The counted client is the service's own; a second one reads items around transactions.
  const counter = new DbCounter(
    DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: config.region,
        endpoint: config.dynamoEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    ),
  );
  counter.attach(db());

  const options = { runs, bcryptRuns, sesEndpoint, forgotFloorMs };
  const fx = await fixtures(options);
  progress('fixtures ready');
  const routes = await benchRoutes(fx, counter, options, progress);
  const overhead = await benchOverhead(fx, Math.max(runs, 500));
  progress('stack overhead measured');
  const passwordHash = await hashPassword(SEED_PASSWORD);
  const scale = await benchScale(counter, { sizes, runs: scaleRuns, passwordHash }, progress);
  await send({
    type: 'result',
    result: {
      routes,
      overhead,
      scale,
      settings: {
        runs,
        bcryptRuns,
        scaleRuns,
        bcryptCost: config.bcryptCost,
        forgotPasswordMinMs: forgotFloorMs,
        logLevel: process.env.LOG_LEVEL ?? 'INFO (default)',
      },
    },
  });
}

main().then(
  () => process.exit(0),
  async (err: Error) => {
    await send({ type: 'error', message: err.message, stack: err.stack }).catch(() => undefined);
    process.exit(1);
  },
);
