/**
 * The deployed signing key is read through the AWS Parameters and Secrets Lambda Extension's
 * HTTP interface on localhost. The extension itself runs only inside Lambda, so a local HTTP
 * server stands in for it here, answering as its documentation says it does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetSigningKeys, signingKeys } from '../../lib/signing-keys.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:SigningKey-AbCdEf';
const SECRET = JSON.stringify({
  kid: 'k2',
  secret: 'deployed-secret-deployed-secret-0002',
  previous: [{ kid: 'k1', secret: 'deployed-secret-deployed-secret-0001' }],
});

let server: Server;
let seen: IncomingMessage[];
let answer: { status: number; body: string };
const saved = { ...process.env };

beforeEach(async () => {
  seen = [];
  answer = { status: 200, body: JSON.stringify({ ARN, Name: 'SigningKey', SecretString: SECRET }) };
  server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  delete process.env.SIGNING_KEYS;
  process.env.SIGNING_SECRET_ARN = ARN;
  process.env.AWS_SESSION_TOKEN = 'session-token-of-the-function';
  process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String(
    (server.address() as AddressInfo).port,
  );
  resetSigningKeys();
});

afterEach(async () => {
  process.env = { ...saved };
  resetSigningKeys();
  await new Promise((resolve) => server.close(resolve));
});

describe('signing keys from Secrets Manager, through the extension (a local stand-in)', () => {
  it('asks for the secret by ARN with the session token, once per cold start', async () => {
    const keys = await signingKeys();
    expect(keys.current.kid).toBe('k2');
    expect([...keys.byKid.keys()].sort()).toEqual(['k1', 'k2']);
    await signingKeys();
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0]?.url ?? '', 'http://localhost');
    expect(url.pathname).toBe('/secretsmanager/get');
    expect(url.searchParams.get('secretId')).toBe(ARN);
    expect(seen[0]?.headers['x-aws-parameters-secrets-token']).toBe(
      'session-token-of-the-function',
    );
  });

  it('fails without echoing the answer, and asks again on the next request', async () => {
    answer = { status: 400, body: `{"message":"not authorised for ${ARN}"}` };
    const failed = await signingKeys().catch((err: Error) => err);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toBe('Signing key secret not read: extension answered 400');
    answer = { status: 200, body: JSON.stringify({ SecretString: SECRET }) };
    await expect(signingKeys()).resolves.toMatchObject({ current: { kid: 'k2' } });
    expect(seen).toHaveLength(2);
  });

  it('refuses a secret that is not in the documented format', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ SecretString: '{"kid":"k1","secret":"short"}' }),
    };
    await expect(signingKeys()).rejects.toThrow();
  });
});
