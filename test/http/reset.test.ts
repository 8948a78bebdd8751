import { randomBytes } from 'node:crypto';
import type { SESClient } from '@aws-sdk/client-ses';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ses, setSes } from '../../lib/mailer.js';
import { cleanupResetTokens } from '../../lib/reset-cleanup.js';
import { hashToken } from '../../lib/reset-token.js';
import { newAccount, newUser, useApi } from '../support/harness.js';
import { inbox, latestResetToken } from '../support/inbox.js';
import { itemsWithPrefix, snapshot } from '../support/table.js';

const api = useApi();

afterEach(() => {
  vi.useRealTimers();
  setSes(undefined);
});

const uniqueEmail = () => `u-${randomBytes(5).toString('hex')}@example.com`;

async function setup() {
  const { client } = api;
  const acct = await newAccount(client);
  const email = uniqueEmail();
  const user = await newUser(client, acct, 'rita', { email });
  return { client, acct, email, user };
}

describe('forgot password', () => {
  it('emails a single-use link that sets the password and signs out everywhere', async () => {
    const { client, acct, email, user } = await setup();
    const res = await client.post('/v1/auth/forgot-password', {
      account: acct.slug,
      username: 'RITA',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});

    const [mail] = await inbox(email);
    expect(mail?.subject).toContain(`Test ${acct.slug}`);
    expect(mail?.body.text).toContain(`Test ${acct.slug}`);
    expect(mail?.body.html).toContain('http://app.test/reset-password?token=');
    const token = await latestResetToken(email);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32);
    // Only the hash is stored.
    const stored = JSON.stringify(await snapshot(acct.accountId));
    expect(stored).not.toContain(token);
    expect(stored).toContain(hashToken(token));

    const page = await client.get(`/reset-password?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
    expect(page.body).toContain('<form');
    expect(page.body).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);

    const reset = await client.post('/v1/auth/reset-password', {
      token,
      newPassword: 'Brand-new-pass-5',
    });
    expect(reset.status).toBe(204);
    expect((await client.get('/v1/me', user.token)).status).toBe(401);
    expect(
      (
        await client.post('/v1/auth/login', {
          account: acct.slug,
          username: 'rita',
          password: user.password,
        })
      ).status,
    ).toBe(401);
    const fresh = await client.login(acct.slug, 'rita', 'Brand-new-pass-5');
    expect((await client.get('/v1/me', fresh)).body.user.mustChangePassword).toBe(false);

    const again = await client.post('/v1/auth/reset-password', {
      token,
      newPassword: 'Other-new-pass-6',
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('INVALID_RESET_TOKEN');

    const audit = await client.get('/v1/audit-log', acct.token);
    expect(audit.body.items[0]).toMatchObject({
      action: 'user.password_reset',
      target: { type: 'user', id: user.id, name: 'rita' },
    });
  });

  it('finds the user by email too, case-insensitively', async () => {
    const { client, acct, email } = await setup();
    await client.post('/v1/auth/forgot-password', {
      account: acct.slug,
      email: email.toUpperCase(),
    });
    expect(await inbox(email)).toHaveLength(1);
  });

  it('answers known and unknown users and emails with the same 202 and sends nothing for unknown', async () => {
    const { client, acct } = await setup();
    const noEmail = await newUser(client, acct, 'no-mail');
    const bodies = new Set<string>();
    for (const body of [
      { account: acct.slug, username: 'rita' },
      { account: acct.slug, username: 'nobody' },
      { account: acct.slug, username: 'no-mail' },
      { account: acct.slug, email: 'nobody@example.com' },
      { account: 'no-such-account', username: 'rita' },
    ]) {
      const res = await client.post('/v1/auth/forgot-password', body);
      expect(res.status).toBe(202);
      bodies.add(JSON.stringify(res.body));
    }
    expect(bodies).toEqual(new Set(['{}']));
    expect(await inbox('nobody@example.com')).toHaveLength(0);
    expect(await itemsWithPrefix(acct.accountId, `RESETTOKEN#${noEmail.id}`)).toHaveLength(0);
  });

  it('refuses a body with both or neither of username and email, or extra fields', async () => {
    const { client, acct } = await setup();
    for (const body of [
      { account: acct.slug },
      { account: acct.slug, username: 'rita', email: 'x@y.io' },
      { account: acct.slug, username: 'rita', redirect: 'https://evil.example' },
    ]) {
      const res = await client.post('/v1/auth/forgot-password', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('builds the link from configuration, never from the Host header', async () => {
    const { client, acct, email } = await setup();
    await client.request('POST', '/v1/auth/forgot-password', {
      body: { account: acct.slug, username: 'rita' },
      headers: { 'x-forwarded-host': 'evil.example', host: 'evil.example' },
    });
    const [mail] = await inbox(email);
    expect(mail?.body.text).toContain('http://app.test/reset-password?token=');
    expect(mail?.body.text).not.toContain('evil.example');
  });

  it('replaces the older link with a newer one', async () => {
    const { client, acct, email } = await setup();
    await client.post('/v1/auth/forgot-password', { account: acct.slug, username: 'rita' });
    const first = await latestResetToken(email);
    await client.post('/v1/auth/forgot-password', { account: acct.slug, username: 'rita' });
    const second = await latestResetToken(email);
    expect(second).not.toBe(first);
    const old = await client.post('/v1/auth/reset-password', {
      token: first,
      newPassword: 'Newer-pass-77',
    });
    expect(old.body.error.code).toBe('INVALID_RESET_TOKEN');
    const ok = await client.post('/v1/auth/reset-password', {
      token: second,
      newPassword: 'Newer-pass-77',
    });
    expect(ok.status).toBe(204);
  });

  it('sends at most 5 emails per user per hour, still answering 202', async () => {
    const { client, acct, email } = await setup();
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 0; i < 7; i++) {
      const res = await client.post('/v1/auth/forgot-password', {
        account: acct.slug,
        username: 'rita',
      });
      expect(res.status).toBe(202);
    }
    expect(await inbox(email)).toHaveLength(5);
    vi.setSystemTime(Date.now() + 3601_000);
    await client.post('/v1/auth/forgot-password', { account: acct.slug, username: 'rita' });
    expect(await inbox(email)).toHaveLength(6);
  });

  it('expires links after 60 minutes (fake clock)', async () => {
    const { client, acct, email } = await setup();
    vi.useFakeTimers({ toFake: ['Date'] });
    await client.post('/v1/auth/forgot-password', { account: acct.slug, username: 'rita' });
    const token = await latestResetToken(email);
    vi.setSystemTime(Date.now() + 60 * 60_000 + 1000);
    const res = await client.post('/v1/auth/reset-password', {
      token,
      newPassword: 'Too-late-pass-1',
    });
    expect(res.body.error.code).toBe('INVALID_RESET_TOKEN');
  });

  it('lets a link work exactly once under 6 concurrent attempts', async () => {
    const { client, acct, email } = await setup();
    await client.post('/v1/auth/forgot-password', { account: acct.slug, username: 'rita' });
    const token = await latestResetToken(email);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        client.post('/v1/auth/reset-password', { token, newPassword: `Concurrent-pass-${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 204)) {
      expect(r.body.error.code).toBe('INVALID_RESET_TOKEN');
    }
    const winner = results.findIndex((r) => r.status === 204);
    await expect(
      client.login(acct.slug, 'rita', `Concurrent-pass-${winner}`),
    ).resolves.toBeTruthy();
  });

  it('refuses a weak new password without using up the link', async () => {
    const { client, acct, email } = await setup();
    await client.post('/v1/auth/forgot-password', { account: acct.slug, username: 'rita' });
    const token = await latestResetToken(email);
    const weak = await client.post('/v1/auth/reset-password', { token, newPassword: 'password' });
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
    const ok = await client.post('/v1/auth/reset-password', {
      token,
      newPassword: 'Strong-enough-9',
    });
    expect(ok.status).toBe(204);
  });

  it('clears a lockout', async () => {
    const { client, acct, email, user } = await setup();
    for (let i = 0; i < 10; i++) {
      await client.post('/v1/auth/login', {
        account: acct.slug,
        username: 'rita',
        password: 'wrong-wrong-1',
      });
    }
    const locked = await client.post('/v1/auth/login', {
      account: acct.slug,
      username: 'rita',
      password: user.password,
    });
    expect(locked.status).toBe(429);
    await client.post('/v1/auth/forgot-password', { account: acct.slug, username: 'rita' });
    const token = await latestResetToken(email);
    await client.post('/v1/auth/reset-password', { token, newPassword: 'Unlocked-pass-3' });
    await expect(client.login(acct.slug, 'rita', 'Unlocked-pass-3')).resolves.toBeTruthy();
  });

  it('still answers 202 when SES refuses (mocked SES fault: throttling)', async () => {
    const { client, acct, email } = await setup();
    const failing = ses() as SESClient;
    const send = vi
      .spyOn(failing, 'send')
      .mockRejectedValue(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const res = await client.post('/v1/auth/forgot-password', {
      account: acct.slug,
      username: 'rita',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});
    expect(send).toHaveBeenCalledTimes(1);
    expect(await inbox(email)).toHaveLength(0);
    send.mockRestore();
  });
});

describe('cleanup of reset tokens', () => {
  it('removes exactly the expired and used tokens among many live ones, reading only those', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'enterprise');
    const emails: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const email = uniqueEmail();
      emails.push(email);
      const res = await client.post(
        '/v1/users',
        { username: `tok${i}`, password: 'Temporary-pass-1', email },
        acct.token,
      );
      ids.push(res.body.id);
    }
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    // 4 tokens issued two hours ago (expired by now), 1 issued now and used, 7 live.
    vi.setSystemTime(start - 2 * 3600_000);
    for (const i of [0, 1, 2, 3]) {
      await client.post('/v1/auth/forgot-password', { account: acct.slug, username: `tok${i}` });
    }
    vi.setSystemTime(start);
    for (const i of [4, 5, 6, 7, 8, 9, 10, 11]) {
      await client.post('/v1/auth/forgot-password', { account: acct.slug, username: `tok${i}` });
    }
    const used = await latestResetToken(emails[4]!);
    await client.post('/v1/auth/reset-password', { token: used, newPassword: 'Used-token-pass-1' });
    vi.setSystemTime(start + 1000);

    const first = await cleanupResetTokens();
    // Other test files' tokens may be removable too; ours are exactly these five.
    const left = (await itemsWithPrefix(acct.accountId, 'RESETTOKEN#')).map((i) => i.userId).sort();
    expect(left).toEqual([5, 6, 7, 8, 9, 10, 11].map((i) => ids[i]).sort());
    expect(first.removed).toBeGreaterThanOrEqual(5);
    expect(first.read).toBe(first.removed);
    // Idempotent: nothing of ours left to remove.
    await cleanupResetTokens();
    expect(await itemsWithPrefix(acct.accountId, 'RESETTOKEN#')).toHaveLength(7);
  });
});
