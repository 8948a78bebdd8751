import type { TestProject } from 'vitest/node';
import { ensureTable, freePort, startDynamo, startSes } from '../../infra/local/services.js';

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
