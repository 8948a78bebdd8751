/**
 * Access tokens: HS256 JWTs (jose) with the algorithm pinned and iss/aud/exp checked. The
 * token carries the user's tokenVersion; sessions.ts compares it with the user item on every
 * request, which is what makes logout and password changes cut older tokens at once.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { config } from './config.js';
import { UnauthenticatedError } from './errors.js';
import { signingKeys } from './signing-keys.js';

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

/** Verify a token's signature and claims; any failure is 401 UNAUTHENTICATED. */
export async function verifyToken(token: string): Promise<TokenClaims> {
  const keys = await signingKeys();
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
    const { sub, acc, tv } = payload;
    if (typeof sub !== 'string' || typeof acc !== 'string' || !Number.isInteger(tv)) {
      throw new UnauthenticatedError();
    }
    return { userId: sub, accountId: acc, tokenVersion: tv as number };
  } catch (err) {
    if (err instanceof UnauthenticatedError || err instanceof errors.JOSEError) {
      throw new UnauthenticatedError();
    }
    if (err instanceof TypeError) throw new UnauthenticatedError(); // malformed input
    throw err;
  }
}
