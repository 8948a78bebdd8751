/**
 * The floor: the least a function of this service can be. A bare handler holding only a
 * DynamoDB document client (built on first use, as lib/db.ts does, with the same options), no
 * middleware, no validation, no token check. `npm run bench` bundles it with the very esbuild
 * settings of the real functions (infra/bundling.ts) to get the floor of bundle size and import
 * time, and calls it in-process as the bare twin of GET /v1/me (the same BatchGetItem of the
 * caller and the account) to measure what the middy + zod + jose stack costs per request.
 *
 * The event names the keys to read in its path parameters (`pk`, `userSk`, `accountSk`);
 * without them the handler answers at once without touching the table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type FloorEvent = { pathParameters?: Record<string, string | undefined> };
type FloorResult = { statusCode: number; headers?: Record<string, string>; body: string };

let client: DynamoDBDocumentClient | undefined;

function doc(): DynamoDBDocumentClient {
  if (!client) {
    const endpoint = process.env.DYNAMODB_ENDPOINT || undefined;
    client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: process.env.AWS_REGION || 'eu-west-1',
        maxAttempts: 4,
        ...(endpoint
          ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
          : {}),
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
  }
  return client;
}

export const handler = async (event: FloorEvent): Promise<FloorResult> => {
  const { pk, userSk, accountSk } = event.pathParameters ?? {};
  if (!pk || !userSk || !accountSk) return { statusCode: 204, body: '' };
  const table = process.env.TABLE_NAME ?? 'capptro-users';
  const out = await doc().send(
    new BatchGetCommand({
      RequestItems: {
        [table]: {
          Keys: [
            { PK: pk, SK: userSk },
            { PK: pk, SK: accountSk },
          ],
          ConsistentRead: true,
        },
      },
    }),
  );
  const items = out.Responses?.[table] ?? [];
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ items: items.map((i) => ({ PK: i.PK, SK: i.SK })) }),
  };
};
