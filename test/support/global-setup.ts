/**
 * Starts the real local services once per test run: DynamoDB Local (in memory, free port)
 * and aws-ses-v2-local, creates the table, and hands their endpoints to every test file.
 */
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { ensureTable, startDynamo, startSes } from '../../infra/local/services.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export const TEST_TABLE = 'capptro-test';

export default async function setup(project: TestProject) {
  const dynamo = await startDynamo({ port: await freePort() });
  const ses = await startSes(await freePort());
  await ensureTable(dynamo.endpoint, TEST_TABLE);
  project.provide('services', {
    dynamoEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tableName: TEST_TABLE,
  });
  return async () => {
    await new Promise((r) => ses.server.close(r));
    await dynamo.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: { dynamoEndpoint: string; sesEndpoint: string; tableName: string };
  }
}
