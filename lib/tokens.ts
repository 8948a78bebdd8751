/**
 * Access tokens: HS256 JWTs (jose) with the algorithm pinned and iss/aud/exp checked. The
 * token carries the user's tokenVersion; sessions.ts compares it with the user item on every
 * request, which is what makes logout and password changes cut older tokens at once.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { config } from './config.js';
import { UnauthenticatedError } from './errors.js';
import { type SigningKeys, signingKeys } from './signing-keys.js';

const ALG = 'HS256';

export type TokenClaims = { userId: string; accountId: string; tokenVersion: number };

/** Sign an access token for a user; answers the token and its lifetime in seconds. */
export async function issueToken(
  claims: TokenClaims,
): Promise<{ accessToken: string; expiresIn: number }> {
  const { current } = await signingKeys();
  const expiresIn = config.tokenTtlSeconds;
  const accessToken = await new SignJWT({ acc: claims.accountId, tv: claims.tokenVersion })
    .setProtectedHeader({ alg: ALG, kid: current.kid, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(config.tokenIssuer)
    .setAudience(config.tokenAudience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
    .sign(current.jwtKey);
  return { accessToken, expiresIn };
}

/**
 * Tokens verified under a set of signing keys, by their exact text, with their expiry. A
 * token's signature and claims never change, so a warm function runs jose's check (most of
 * the middleware's CPU per request) once per token and only re-checks the expiry after that.
 * Nothing else is skipped: every request still reads the user and compares tokenVersion, so
 * logout, password changes and deletion cut a token at once. New keys (a new container, or a
 * reload) start with nothing verified. Bounded: the oldest entry goes first.
 */
const verifiedUnder = new WeakMap<SigningKeys, Map<string, Verified>>();
const VERIFIED_MAX = 1000;
type Verified = { claims: TokenClaims; expiresAtMs: number };

/** Forget verified tokens (tests and the bench, to measure a token seen for the first time). */
export async function forgetVerifiedTokens(): Promise<void> {
  verifiedUnder.delete(await signingKeys());
}

/** Verify a token's signature and claims; any failure is 401 UNAUTHENTICATED. */
export async function verifyToken(token: string): Promise<TokenClaims> {
  const keys = await signingKeys();
  const verified = verifiedUnder.get(keys) ?? new Map<string, Verified>();
  verifiedUnder.set(keys, verified);
  const known = verified.get(token);
  if (known) {
    // jose refuses a token at its `exp` second (exp <= now), so the same holds here.
    if (Date.now() < known.expiresAtMs) return known.claims;
    verified.delete(token);
  }
  const entry = await verifyWithJose(token, keys);
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
  verified.set(token, entry);
  return entry.claims;
}

async function verifyWithJose(token: string, keys: SigningKeys): Promise<Verified> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid === undefined ? undefined : keys.byKid.get(header.kid);
        if (!key) throw new UnauthenticatedError();
        return key.jwtKey;
      },
      {
        algorithms: [ALG],
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        requiredClaims: ['sub', 'exp', 'iat'],
        currentDate: new Date(),
      },
    );
    const { sub, acc, tv, exp } = payload;
    if (typeof sub !== 'string' || typeof acc !== 'string' || !Number.isInteger(tv)) {
      throw new UnauthenticatedError();
    }
    return {
      claims: { userId: sub, accountId: acc, tokenVersion: tv as number },
      expiresAtMs: (exp as number) * 1000,
    };
  } catch (err) {
    if (err instanceof UnauthenticatedError || err instanceof errors.JOSEError) {
      throw new UnauthenticatedError();
    }
    if (err instanceof TypeError) throw new UnauthenticatedError(); // malformed input
    throw err;
  }
}
