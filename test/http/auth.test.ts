import { describe, expect, it } from 'vitest';
import { createAccount } from '../../lib/accounts.js';
import { ADMIN_PASSWORD, newAccount, uniqueSlug, useApi } from '../support/harness.js';

const api = useApi();

describe('sign-in and first login', () => {
  it('makes a new admin change the temporary password before anything else', async () => {
    const { client } = api;
    const slug = uniqueSlug();
    const created = await createAccount({
      slug,
      name: 'Acme',
      plan: 'cloud-standard',
      adminUsername: 'Alice',
    });
    const temp = created.temporaryPassword as string;

    const login = await client.post('/v1/auth/login', {
      account: slug,
      username: 'alice',
      password: temp,
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(login.body.user).toMatchObject({
      username: 'Alice',
      admin: true,
      mustChangePassword: true,
    });
    expect(login.body.user).not.toHaveProperty('passwordHash');
    const first = login.body.accessToken;

    const blocked = await client.get('/v1/users', first);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    // The four routes of the first-login rule still work.
    expect((await client.get('/v1/me', first)).status).toBe(200);
    expect((await client.get('/v1/account', first)).status).toBe(200);

    const changed = await client.post(
      '/v1/me/password',
      { currentPassword: temp, newPassword: 'a-much-better-secret' },
      first,
    );
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    const second = changed.body.accessToken;

    const list = await client.get('/v1/users', second);
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['Alice']);
    expect(list.body.nextCursor).toBeNull();

    const old = await client.get('/v1/me', first);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('UNAUTHENTICATED');

    const relog = await client.post('/v1/auth/login', {
      account: slug,
      username: 'Alice',
      password: 'a-much-better-secret',
    });
    expect(relog.status).toBe(200);
    expect(relog.body.user.mustChangePassword).toBe(false);
  });

  it('answers unknown account, unknown user and wrong password with the same 401 body', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const tries = [
      { account: uniqueSlug('nope'), username: 'admin', password: ADMIN_PASSWORD },
      { account: acct.slug, username: 'nobody', password: ADMIN_PASSWORD },
      { account: acct.slug, username: 'admin', password: 'wrong-password-1' },
    ];
    const bodies = [];
    for (const t of tries) {
      const res = await client.post('/v1/auth/login', t);
      expect(res.status).toBe(401);
      bodies.push(JSON.stringify(res.body));
    }
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!).error.code).toBe('INVALID_CREDENTIALS');
  });

  it('signs in case-insensitively on account slug and username', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const res = await client.post('/v1/auth/login', {
      account: acct.slug.toUpperCase(),
      username: 'ADMIN',
      password: ADMIN_PASSWORD,
    });
    expect(res.status).toBe(200);
  });

  it('reads the caller and the account', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'cloud-standard');
    const me = await client.get('/v1/me', acct.token);
    expect(me.body).toEqual({
      user: expect.objectContaining({ id: acct.adminId, username: 'admin', admin: true }),
      account: {
        id: acct.accountId,
        slug: acct.slug,
        name: `Test ${acct.slug}`,
        plan: 'cloud-standard',
      },
    });
    const account = await client.get('/v1/account', acct.token);
    expect(account.body).toEqual({
      id: acct.accountId,
      slug: acct.slug,
      name: `Test ${acct.slug}`,
      plan: 'cloud-standard',
      userLimit: 5,
      userCount: 1,
      features: { employees: false },
    });
  });

  it('logs out every token of the user at once', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const other = await client.login(acct.slug, 'admin', ADMIN_PASSWORD);
    const res = await client.post('/v1/auth/logout', undefined, acct.token);
    expect(res.status).toBe(204);
    expect((await client.get('/v1/me', acct.token)).status).toBe(401);
    expect((await client.get('/v1/me', other)).status).toBe(401);
    // A new sign-in works again.
    const fresh = await client.login(acct.slug, 'admin', ADMIN_PASSWORD);
    expect((await client.get('/v1/me', fresh)).status).toBe(200);
  });

  it('refuses a wrong current password, a reused one and a weak one', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const wrong = await client.post(
      '/v1/me/password',
      { currentPassword: 'not-the-password', newPassword: 'fresh-password-42' },
      acct.token,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const reused = await client.post(
      '/v1/me/password',
      { currentPassword: ADMIN_PASSWORD, newPassword: ADMIN_PASSWORD },
      acct.token,
    );
    expect(reused.body.error.code).toBe('PASSWORD_REUSED');
    const weak = await client.post(
      '/v1/me/password',
      { currentPassword: ADMIN_PASSWORD, newPassword: 'password1' },
      acct.token,
    );
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
    // Nothing changed: the token and password still work.
    expect((await client.get('/v1/me', acct.token)).status).toBe(200);
    await expect(client.login(acct.slug, 'admin', ADMIN_PASSWORD)).resolves.toBeTypeOf('string');
  });

  it('requires a bearer token on authenticated routes', async () => {
    const { client } = api;
    for (const authorization of [undefined, 'Bearer', 'Basic abc', 'Bearer not.a.jwt']) {
      const res = await client.request('GET', '/v1/me', {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('HTTP plumbing', () => {
  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const { client } = api;
    for (const raw of ['{', '[]', '"text"', '42', 'null']) {
      const res = await client.request('POST', '/v1/auth/login', {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, raw).toBe(400);
      expect(res.body.error.code).toBe('INVALID_JSON');
    }
  });

  it('answers a body over 64 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const { client } = api;
    const res = await client.request('POST', '/v1/auth/login', {
      raw: JSON.stringify({ account: 'a', username: 'b', password: 'x'.repeat(70_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects unknown fields and wrong types with every problem listed', async () => {
    const { client } = api;
    const res = await client.post('/v1/auth/login', {
      account: 'a',
      username: 42,
      password: 'x',
      admin: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toContain('body.username');
    expect(res.body.error.details.some((d: { message: string }) => /admin/.test(d.message))).toBe(
      true,
    );
  });

  it('sets security headers and a request id on every answer', async () => {
    const { client } = api;
    const res = await client.get('/v1/me');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });

  it('answers unknown routes like API Gateway does', async () => {
    const { client } = api;
    expect((await client.get('/v1/nothing-here')).status).toBe(404);
    expect((await client.request('PUT', '/v1/me')).status).toBe(404);
  });
});
