import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTable, freePort, startDynamo } from '../../infra/local/services.js';
import { keys } from '../../lib/keys.js';

const dir = mkdtempSync(join(tmpdir(), 'capptro-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local stack’s data', () => {
  it('survives a stop and a start of DynamoDB Local', async () => {
    const port = await freePort();
    const item = { ...keys.slug('persisted'), accountId: 'acc-1' };
    const client = (endpoint: string) =>
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint,
          region: 'eu-west-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      );

    const first = await startDynamo({ port, dataDir: dir });
    expect(await ensureTable(first.endpoint, 'persist')).toBe(true);
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await client(first.endpoint).send(new PutCommand({ TableName: 'persist', Item: item }));
    await first.stop();

    const second = await startDynamo({ port, dataDir: dir });
    try {
      expect(await ensureTable(second.endpoint, 'persist')).toBe(false);
      const got = await client(second.endpoint).send(
        new GetCommand({ TableName: 'persist', Key: keys.slug('persisted') }),
      );
      expect(got.Item).toEqual(item);
    } finally {
      await second.stop();
    }
  });
});
