/**
 * The environment the handlers see on the local stack, in one place: the same variables the
 * CDK stack sets on each Lambda, pointed at the local services.
 */
// Locally we run Node 20 on purpose (Lambda runs 22); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const LOCAL_TABLE = 'capptro-users';

export type LocalPorts = { api: number; dynamo: number; ses: number };

/** Ports from PORT, DYNAMODB_PORT and SES_PORT (API.md "The local stack"). */
export function localPorts(env = process.env): LocalPorts {
  return {
    api: Number(env.PORT ?? 3000),
    dynamo: Number(env.DYNAMODB_PORT ?? 8000),
    ses: Number(env.SES_PORT ?? 8005),
  };
}

/** Point lib/ at the local services (sets process.env, which lib/config reads on use). */
export function useLocalServices(opts: {
  dynamoEndpoint: string;
  sesEndpoint?: string;
  appUrl?: string;
  signingKeys?: string;
  tableName?: string;
}): void {
  process.env.TABLE_NAME = opts.tableName ?? LOCAL_TABLE;
  process.env.DYNAMODB_ENDPOINT = opts.dynamoEndpoint;
  process.env.AWS_REGION ??= 'eu-west-1';
  if (opts.sesEndpoint) process.env.SES_ENDPOINT = opts.sesEndpoint;
  if (opts.appUrl) process.env.APP_URL = opts.appUrl;
  if (opts.signingKeys) process.env.SIGNING_KEYS = opts.signingKeys;
}
