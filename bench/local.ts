/**
 * The benchmark's own local stack: DynamoDB Local in memory and aws-ses-v2-local, each on a
 * free port, the table created as the CDK creates it. Stopped on exit, whatever the exit.
 */
import type { ChildProcess } from 'node:child_process';
import { ensureTable, freePort, startDynamo, startSes } from '../infra/local/services.js';

export const BENCH_TABLE = 'capptro-bench';

export type LocalStack = {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  stop: () => Promise<void>;
};

const children = new Set<ChildProcess>();
let hooked = false;

/** Kill what we started if the run ends early (error, Ctrl-C): no stray JVM left behind. */
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null) child.kill();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) if (child.exitCode === null) child.kill();
      process.exit(130);
    });
  }
}

export async function startLocalStack(): Promise<LocalStack> {
  hookExit();
  const dynamo = await startDynamo({ port: await freePort(), timeoutMs: 60_000 });
  children.add(dynamo.process);
  const ses = await startSes(await freePort());
  await ensureTable(dynamo.endpoint, BENCH_TABLE);
  return {
    dynamoEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tableName: BENCH_TABLE,
    stop: async () => {
      await new Promise((r) => ses.server.close(r));
      await dynamo.stop();
      children.delete(dynamo.process);
    },
  };
}

/** Register a child process to be killed if the run ends early. */
export function track(child: ChildProcess): void {
  hookExit();
  children.add(child);
  child.once('exit', () => children.delete(child));
}
