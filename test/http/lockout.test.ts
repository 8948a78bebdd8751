import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCKOUT } from '../../lib/sessions.js';
import { ADMIN_PASSWORD, newAccount, uniqueSlug, useApi } from '../support/harness.js';

const api = useApi();

afterEach(() => {
  vi.useRealTimers();
});

/** Fake only Date: the lockout reads the clock, while DynamoDB Local I/O runs for real. */
function fakeClock() {
  vi.useFakeTimers({ toFake: ['Date'] });
  return { advance: (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000) };
}

async function fail(account: string, username: string, times: number) {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    const res = await api.client.post('/v1/auth/login', {
      account,
      username,
      password: 'wrong-guess-000',
    });
    statuses.push(res.status);
  }
  return statuses;
}

describe('sign-in lockout', () => {
  it('locks an account+username after 10 failures with 429 and Retry-After', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    expect(await fail(acct.slug, 'admin', LOCKOUT.lockAfter)).toEqual(Array(10).fill(401));
    const locked = await client.post('/v1/auth/login', {
      account: acct.slug,
      username: 'ADMIN',
      password: ADMIN_PASSWORD,
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another username of the same account is not affected.
    expect((await fail(acct.slug, 'someone-else', 1))[0]).toBe(401);
  });

  it('locks unknown users and unknown accounts exactly like known ones', async () => {
    const acct = await newAccount(api.client);
    expect((await fail(acct.slug, 'ghost', 11)).at(-1)).toBe(429);
    expect((await fail(uniqueSlug('ghost'), 'admin', 11)).at(-1)).toBe(429);
  });

  it('doubles the lock with each failure after it ends, and a success clears it', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const clock = fakeClock();
    await fail(acct.slug, 'admin', 10);
    clock.advance(61);
    expect(await fail(acct.slug, 'admin', 1)).toEqual([401]);
    const second = await client.post('/v1/auth/login', {
      account: acct.slug,
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(120);
    clock.advance(121);
    await expect(client.login(acct.slug, 'admin', ADMIN_PASSWORD)).resolves.toBeTruthy();
    // Cleared: the next failures start counting from zero.
    expect(await fail(acct.slug, 'admin', 9)).toEqual(Array(9).fill(401));
  });

  it('caps the lock at one hour', async () => {
    const acct = await newAccount(api.client);
    const clock = fakeClock();
    await fail(acct.slug, 'admin', 10);
    let lastRetry = 0;
    for (let i = 0; i < 8; i++) {
      clock.advance(lastRetry + 1);
      await fail(acct.slug, 'admin', 1);
      const res = await api.client.post('/v1/auth/login', {
        account: acct.slug,
        username: 'admin',
        password: 'wrong-guess-000',
      });
      lastRetry = Number(res.headers.get('retry-after'));
    }
    expect(lastRetry).toBe(LOCKOUT.maxLockSeconds);
  });
});
