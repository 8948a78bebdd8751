/**
 * The HMAC keys that sign access tokens and list cursors.
 *
 * Format (Secrets Manager secret deployed, SIGNING_KEYS locally):
 *   {"kid": "k2", "secret": "<random>", "previous": [{"kid": "k1", "secret": "<random>"}]}
 * The current key signs; current and previous keys verify, so a rotation never signs anyone
 * out: add the old key to `previous`, put a new current one, drop `previous` after one token
 * lifetime.
 */
import { createHash, webcrypto } from 'node:crypto';
import { get } from 'node:http';
import * as z from 'zod/mini';
import { config } from './config.js';

export type SigningKey = {
  kid: string;
  /** The 256-bit key as bytes (list cursors' HMAC). */
  key: Uint8Array;
  /**
   * The same key imported once for tokens: jose verifies with a CryptoKey in ~20 µs, where
   * given bytes it imports them again on every call (~60 µs).
   */
  jwtKey: webcrypto.CryptoKey;
};
export type SigningKeys = { current: SigningKey; byKid: Map<string, SigningKey> };

let cached: Promise<SigningKeys> | undefined;

/** The signing keys, read once per cold start and cached. */
export function signingKeys(): Promise<SigningKeys> {
  cached ??= load().catch((err) => {
    cached = undefined; // a failed read is retried by the next request
    throw err;
  });
  return cached;
}

/** Forget cached keys (tests that rotate keys). */
export function resetSigningKeys(): void {
  cached = undefined;
}

async function load(): Promise<SigningKeys> {
  const raw = config.signingKeysJson ?? (await fromSecretsManager());
  const keySchema = z.object({
    kid: z.string().check(z.minLength(1)),
    secret: z.string().check(z.minLength(32)),
  });
  const parsed = z
    .extend(keySchema, { previous: z._default(z.array(keySchema), []) })
    .parse(JSON.parse(raw));
  const toKey = async (k: { kid: string; secret: string }): Promise<SigningKey> => {
    // Hashing normalises any secret string to a 256-bit HS256 key.
    const key = createHash('sha256').update(k.secret).digest();
    const usage: webcrypto.KeyUsage[] = ['sign', 'verify'];
    const hmac = { name: 'HMAC', hash: 'SHA-256' };
    return {
      kid: k.kid,
      key,
      jwtKey: await webcrypto.subtle.importKey('raw', key, hmac, false, usage),
    };
  };
  const [current, ...previous] = await Promise.all([parsed, ...parsed.previous].map(toKey));
  if (!current) throw new Error('Signing key secret has no current key');
  const byKid = new Map([current, ...previous].map((k) => [k.kid, k]));
  return { current, byKid };
}

/**
 * The secret's value through the AWS Parameters and Secrets Lambda Extension (a layer the
 * stack adds to every function that reads the key): a plain HTTP call to localhost, signed by
 * the extension with the function's role. The Secrets Manager SDK client would add 32 KB to
 * every such bundle for this one call; `node:http` is already loaded by the DynamoDB client.
 */
async function fromSecretsManager(): Promise<string> {
  const arn = config.signingSecretArn;
  if (!arn) throw new Error('Missing configuration: SIGNING_SECRET_ARN or SIGNING_KEYS');
  const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  const url = `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(arn)}`;
  const { status, body } = await httpGet(url, {
    'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN ?? '',
  });
  // The body of an error may name the secret; the status is enough to act on.
  if (status !== 200) throw new Error(`Signing key secret not read: extension answered ${status}`);
  const { SecretString } = JSON.parse(body) as { SecretString?: string };
  if (!SecretString) throw new Error('Signing key secret is empty');
  return SecretString;
}

function httpGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = get(url, { headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('Signing key secret not read: timed out')));
    req.on('error', reject);
  });
}
