/**
 * The HMAC keys that sign access tokens and list cursors.
 *
 * Format (Secrets Manager secret deployed, SIGNING_KEYS locally):
 *   {"kid": "k2", "secret": "<random>", "previous": [{"kid": "k1", "secret": "<random>"}]}
 * The current key signs; current and previous keys verify, so a rotation never signs anyone
 * out: add the old key to `previous`, put a new current one, drop `previous` after one token
 * lifetime.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { config } from './config.js';

export type SigningKey = { kid: string; key: Uint8Array };
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
  const key = z.object({
    kid: z.string().check(z.minLength(1)),
    secret: z.string().check(z.minLength(32)),
  });
  const parsed = z.extend(key, { previous: z._default(z.array(key), []) }).parse(JSON.parse(raw));
  const toKey = (k: { kid: string; secret: string }): SigningKey => ({
    kid: k.kid,
    // Hashing normalises any secret string to a 256-bit HS256 key.
    key: createHash('sha256').update(k.secret).digest(),
  });
  const current = toKey(parsed);
  const byKid = new Map([current, ...parsed.previous.map(toKey)].map((k) => [k.kid, k]));
  return { current, byKid };
}

async function fromSecretsManager(): Promise<string> {
  const arn = config.signingSecretArn;
  if (!arn) throw new Error('Missing configuration: SIGNING_SECRET_ARN or SIGNING_KEYS');
  // Imported here so functions that never verify a token don't load the client.
  const { SecretsManagerClient, GetSecretValueCommand } = await import(
    '@aws-sdk/client-secrets-manager'
  );
  const out = await new SecretsManagerClient({ region: config.region }).send(
    new GetSecretValueCommand({ SecretId: arn }),
  );
  if (!out.SecretString) throw new Error('Signing key secret is empty');
  return out.SecretString;
}
