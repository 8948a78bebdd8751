import { SignJWT, UnsecuredJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetSigningKeys, signingKeys } from '../../lib/signing-keys.js';
import { forgetVerifiedTokens, issueToken, verifyToken } from '../../lib/tokens.js';

const claims = { userId: 'u1', accountId: 'a1', tokenVersion: 3 };

afterEach(async () => {
  vi.useRealTimers();
  await forgetVerifiedTokens();
  resetSigningKeys();
});

describe('access tokens', () => {
  it('round-trips user, account and token version', async () => {
    const { accessToken, expiresIn } = await issueToken(claims);
    expect(expiresIn).toBe(3600);
    await expect(verifyToken(accessToken)).resolves.toEqual(claims);
  });

  it('refuses an expired token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { accessToken } = await issueToken(claims);
    vi.setSystemTime(Date.now() + 3601_000);
    await expect(verifyToken(accessToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token it verified before once that token expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { accessToken } = await issueToken(claims);
    await expect(verifyToken(accessToken)).resolves.toEqual(claims);
    vi.setSystemTime(Date.now() + 3599_000);
    await expect(verifyToken(accessToken)).resolves.toEqual(claims);
    vi.setSystemTime(Date.now() + 1_000);
    await expect(verifyToken(accessToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses an altered copy of a token it verified before', async () => {
    const { accessToken } = await issueToken(claims);
    await verifyToken(accessToken);
    const [head, payload, sig] = accessToken.split('.') as [string, string, string];
    const flipped = `${head}.${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BA' : 'AA'}`;
    await expect(verifyToken(flipped)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const other = Buffer.from(JSON.stringify({ sub: 'u2', acc: 'a1', tv: 3 })).toString(
      'base64url',
    );
    await expect(verifyToken(`${head}.${other}.${sig}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses alg none', async () => {
    const token = new UnsecuredJWT({ acc: 'a1', tv: 3 })
      .setSubject('u1')
      .setIssuer('capptro-user-management')
      .setAudience('capptro')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    await expect(verifyToken(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses another issuer or audience', async () => {
    const { current } = await signingKeys();
    for (const [iss, aud] of [
      ['someone-else', 'capptro'],
      ['capptro-user-management', 'other-app'],
    ]) {
      const token = await new SignJWT({ acc: 'a1', tv: 3 })
        .setProtectedHeader({ alg: 'HS256', kid: current.kid })
        .setSubject('u1')
        .setIssuer(iss as string)
        .setAudience(aud as string)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(current.key);
      await expect(verifyToken(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses a token whose signature was altered', async () => {
    const { accessToken } = await issueToken(claims);
    const [h, p, s] = accessToken.split('.');
    const flipped = `${s![0] === 'A' ? 'B' : 'A'}${s!.slice(1)}`;
    await expect(verifyToken(`${h}.${p}.${flipped}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses garbage', async () => {
    for (const junk of ['', 'a.b.c', 'not-a-token', '....']) {
      await expect(verifyToken(junk)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('keeps tokens of the previous key valid through a rotation', async () => {
    const before = process.env.SIGNING_KEYS as string;
    const { accessToken } = await issueToken(claims);
    const old = JSON.parse(before);
    process.env.SIGNING_KEYS = JSON.stringify({
      kid: 'test-2',
      secret: 'another-secret-another-secret-another-01',
      previous: [old],
    });
    resetSigningKeys();
    try {
      await expect(verifyToken(accessToken)).resolves.toEqual(claims);
      const fresh = await issueToken(claims);
      expect(
        JSON.parse(Buffer.from(fresh.accessToken.split('.')[0]!, 'base64url').toString()).kid,
      ).toBe('test-2');
      // Once the old key is dropped, its tokens stop working.
      process.env.SIGNING_KEYS = JSON.stringify({
        kid: 'test-2',
        secret: 'another-secret-another-secret-another-01',
      });
      resetSigningKeys();
      await expect(verifyToken(accessToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      process.env.SIGNING_KEYS = before;
    }
  });
});
