import { describe, expect, it } from 'vitest';
import { setPlan } from '../../lib/accounts.js';
import { ADMIN_PASSWORD, newAccount, newUser, useApi } from '../support/harness.js';
import { counters, itemsWithPrefix, snapshot } from '../support/table.js';

const api = useApi();
const PW = 'Temporary-pass-1';

describe('admin user management', () => {
  it('creates a user who must change the password, with a Location', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const res = await client.post(
      '/v1/users',
      { username: 'Bob.Smith', password: PW, email: 'Bob@Example.com' },
      acct.token,
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/users/${res.body.id}`);
    expect(res.body).toEqual({
      id: expect.any(String),
      username: 'Bob.Smith',
      email: 'Bob@Example.com',
      admin: false,
      mustChangePassword: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const got = await client.get(`/v1/users/${res.body.id}`, acct.token);
    expect(got.body).toEqual(res.body);
    expect(await counters(acct.accountId)).toEqual({ userCount: 2, adminCount: 1 });
  });

  it('refuses a username taken in any case, and an email taken in any case', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    await client.post(
      '/v1/users',
      { username: 'carol', password: PW, email: 'c@x.io' },
      acct.token,
    );
    const before = await snapshot(acct.accountId);
    const dupName = await client.post('/v1/users', { username: 'CAROL', password: PW }, acct.token);
    expect(dupName.status).toBe(409);
    expect(dupName.body.error.code).toBe('USERNAME_TAKEN');
    const dupEmail = await client.post(
      '/v1/users',
      { username: 'carol2', password: PW, email: 'C@X.IO' },
      acct.token,
    );
    expect(dupEmail.status).toBe(409);
    expect(dupEmail.body.error.code).toBe('EMAIL_TAKEN');
    expect(await snapshot(acct.accountId)).toEqual(before);
  });

  it('refuses weak passwords and bad usernames without writing anything', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const before = await snapshot(acct.accountId);
    const cases = [
      [{ username: 'dave', password: 'short' }, 'WEAK_PASSWORD'],
      [{ username: 'dave', password: 'password123' }, 'WEAK_PASSWORD'],
      [{ username: 'dave-the-1st', password: 'Dave-The-1st' }, 'WEAK_PASSWORD'],
      [{ username: 'dave', password: 'ü'.repeat(40) }, 'WEAK_PASSWORD'],
      [{ username: 'da ve', password: PW }, 'VALIDATION_FAILED'],
      [{ username: 'a#b', password: PW }, 'VALIDATION_FAILED'],
      [{ username: 'x'.repeat(65), password: PW }, 'VALIDATION_FAILED'],
      [{ username: 'dave', password: PW, email: 'not-an-email' }, 'VALIDATION_FAILED'],
      [{ username: 'dave', password: PW, role: 'admin' }, 'VALIDATION_FAILED'],
    ] as const;
    for (const [body, code] of cases) {
      const res = await client.post('/v1/users', body, acct.token);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await snapshot(acct.accountId)).toEqual(before);
  });

  it('keeps regular users out of user management', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const erin = await newUser(client, acct, 'erin');
    for (const [method, path] of [
      ['GET', '/v1/users'],
      ['POST', '/v1/users'],
      ['GET', `/v1/users/${acct.adminId}`],
      ['PATCH', `/v1/users/${acct.adminId}`],
      ['DELETE', `/v1/users/${acct.adminId}`],
      ['GET', '/v1/audit-log'],
    ]) {
      const res = await client.request(method as string, path as string, {
        token: erin.token,
        ...(method === 'POST' || method === 'PATCH' ? { body: { admin: true } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('ADMIN_REQUIRED');
    }
  });

  it('renames atomically: the old name is free at once and signs in no more', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const frank = await newUser(client, acct, 'frank');
    const res = await client.patch(`/v1/users/${frank.id}`, { username: 'Franklin' }, acct.token);
    expect(res.status).toBe(200);
    expect(res.body.username).toBe('Franklin');
    await expect(client.login(acct.slug, 'franklin', frank.password)).resolves.toBeTruthy();
    expect(
      (
        await client.post('/v1/auth/login', {
          account: acct.slug,
          username: 'frank',
          password: frank.password,
        })
      ).status,
    ).toBe(401);
    const reuse = await client.post('/v1/users', { username: 'frank', password: PW }, acct.token);
    expect(reuse.status).toBe(201);
    const guards = await itemsWithPrefix(acct.accountId, 'USERNAME#');
    expect(guards.map((g) => g.SK).sort()).toEqual(
      ['USERNAME#admin', 'USERNAME#frank', 'USERNAME#franklin'].sort(),
    );
    // A case-only rename keeps the same guard and works.
    const caseOnly = await client.patch(
      `/v1/users/${frank.id}`,
      { username: 'FRANKLIN' },
      acct.token,
    );
    expect(caseOnly.body.username).toBe('FRANKLIN');
    const taken = await client.patch(`/v1/users/${frank.id}`, { username: 'Frank' }, acct.token);
    expect(taken.body.error.code).toBe('USERNAME_TAKEN');
  });

  it('sets, changes and clears emails, freeing the old address', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const gina = await newUser(client, acct, 'gina');
    expect(
      (await client.patch(`/v1/users/${gina.id}`, { email: 'gina@x.io' }, acct.token)).body.email,
    ).toBe('gina@x.io');
    expect(
      (await client.patch(`/v1/users/${gina.id}`, { email: 'g@x.io' }, acct.token)).body.email,
    ).toBe('g@x.io');
    const other = await client.post(
      '/v1/users',
      { username: 'hank', password: PW, email: 'GINA@x.io' },
      acct.token,
    );
    expect(other.status).toBe(201);
    const clash = await client.patch(`/v1/users/${gina.id}`, { email: 'gina@X.io' }, acct.token);
    expect(clash.body.error.code).toBe('EMAIL_TAKEN');
    const cleared = await client.patch(`/v1/users/${gina.id}`, { email: null }, acct.token);
    expect(cleared.body.email).toBeNull();
    const guards = await itemsWithPrefix(acct.accountId, 'EMAIL#');
    expect(guards.map((g) => g.SK).sort()).toEqual(['EMAIL#gina@x.io']);
  });

  it('signs a user out everywhere when an admin sets their password', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const ivan = await newUser(client, acct, 'ivan');
    const res = await client.patch(
      `/v1/users/${ivan.id}`,
      { password: 'Admin-chosen-77' },
      acct.token,
    );
    expect(res.body.mustChangePassword).toBe(true);
    expect((await client.get('/v1/me', ivan.token)).status).toBe(401);
    const token = await client.login(acct.slug, 'ivan', 'Admin-chosen-77');
    expect((await client.get('/v1/users', token)).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('applies promotion and demotion on the very next request', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const jo = await newUser(client, acct, 'jo');
    expect((await client.get('/v1/users', jo.token)).status).toBe(403);
    await client.patch(`/v1/users/${jo.id}`, { admin: true }, acct.token);
    expect((await client.get('/v1/users', jo.token)).status).toBe(200);
    expect(await counters(acct.accountId)).toEqual({ userCount: 2, adminCount: 2 });
    await client.patch(`/v1/users/${jo.id}`, { admin: false }, acct.token);
    expect((await client.get('/v1/users', jo.token)).status).toBe(403);
    expect(await counters(acct.accountId)).toEqual({ userCount: 2, adminCount: 1 });
  });

  it('keeps the last admin', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const res = await client.patch(`/v1/users/${acct.adminId}`, { admin: false }, acct.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LAST_ADMIN');
    const self = await client.delete(`/v1/users/${acct.adminId}`, acct.token);
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('CANNOT_DELETE_SELF');
    // With a second admin, the last-admin rule refuses deleting the other one only at one left.
    const kim = await newUser(client, acct, 'kim', { admin: true });
    expect(
      (await client.patch(`/v1/users/${acct.adminId}`, { admin: false }, acct.token)).status,
    ).toBe(200);
    const lastOne = await client.delete(`/v1/users/${kim.id}`, kim.token);
    expect(lastOne.body.error.code).toBe('CANNOT_DELETE_SELF');
    expect(await counters(acct.accountId)).toEqual({ userCount: 2, adminCount: 1 });
  });

  it('deletes for good: no sign-in, tokens dead, seat and name free, name kept in the audit log', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const lou = await newUser(client, acct, 'lou', { email: 'lou@x.io' });
    const res = await client.delete(`/v1/users/${lou.id}`, acct.token);
    expect(res.status).toBe(204);
    expect((await client.get('/v1/me', lou.token)).status).toBe(401);
    expect(
      (
        await client.post('/v1/auth/login', {
          account: acct.slug,
          username: 'lou',
          password: lou.password,
        })
      ).status,
    ).toBe(401);
    expect((await client.get(`/v1/users/${lou.id}`, acct.token)).body.error.code).toBe(
      'USER_NOT_FOUND',
    );
    expect((await client.delete(`/v1/users/${lou.id}`, acct.token)).status).toBe(404);
    expect(await counters(acct.accountId)).toEqual({ userCount: 1, adminCount: 1 });
    const again = await client.post(
      '/v1/users',
      { username: 'LOU', password: PW, email: 'lou@x.io' },
      acct.token,
    );
    expect(again.status).toBe(201);
    const audit = await client.get('/v1/audit-log?limit=100', acct.token);
    const deleted = audit.body.items.find((e: any) => e.action === 'user.deleted');
    expect(deleted).toMatchObject({
      actor: { id: acct.adminId, username: 'admin' },
      target: { type: 'user', id: lou.id, name: 'lou' },
    });
  });

  it('answers 404 USER_NOT_FOUND for unknown ids', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { admin: true }],
      ['DELETE', undefined],
    ] as const) {
      const res = await client.request(method, '/v1/users/no-such-user', {
        token: acct.token,
        body,
      });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('USER_NOT_FOUND');
    }
  });

  it('refuses an empty or unknown-field patch', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    for (const body of [{}, { role: 'admin' }, { admin: 'yes' }, { email: 42 }]) {
      const res = await client.patch(`/v1/users/${acct.adminId}`, body, acct.token);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('plan limits', () => {
  it('refuses the 6th user on cloud-standard with the limit', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'cloud-standard');
    for (let i = 0; i < 4; i++) {
      expect(
        (await client.post('/v1/users', { username: `u${i}`, password: PW }, acct.token)).status,
      ).toBe(201);
    }
    const res = await client.post('/v1/users', { username: 'u5', password: PW }, acct.token);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'USER_LIMIT_REACHED', limit: 5 });
    expect(await counters(acct.accountId)).toEqual({ userCount: 5, adminCount: 1 });
  });

  it('keeps users on a lowered plan and blocks creation until under the limit', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'cloud-standard');
    const ids = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (await client.post('/v1/users', { username: `m${i}`, password: PW }, acct.token)).body.id,
      );
    }
    await setPlan(acct.slug, 'starter');
    expect((await client.get('/v1/users', acct.token)).body.items).toHaveLength(5);
    const refused = await client.post('/v1/users', { username: 'm9', password: PW }, acct.token);
    expect(refused.body.error).toMatchObject({ code: 'USER_LIMIT_REACHED', limit: 3 });
    // Deleting frees seats; only under the limit does creation work again.
    for (const id of ids.slice(0, 2)) await client.delete(`/v1/users/${id}`, acct.token);
    expect(
      (await client.post('/v1/users', { username: 'm9', password: PW }, acct.token)).status,
    ).toBe(403);
    await client.delete(`/v1/users/${ids[2]}`, acct.token);
    expect(
      (await client.post('/v1/users', { username: 'm9', password: PW }, acct.token)).status,
    ).toBe(201);
    const account = await client.get('/v1/account', acct.token);
    expect(account.body).toMatchObject({ plan: 'starter', userLimit: 3, userCount: 3 });
  });

  it('has no limit on enterprise', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'starter');
    await setPlan(acct.slug, 'enterprise');
    for (let i = 0; i < 4; i++) {
      expect(
        (await client.post('/v1/users', { username: `e${i}`, password: PW }, acct.token)).status,
      ).toBe(201);
    }
    expect((await client.get('/v1/account', acct.token)).body).toMatchObject({
      userLimit: null,
      userCount: 5,
    });
  });
});

describe('listing and the audit log', () => {
  it('sorts case-insensitively and searches by prefix', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    for (const username of ['zed', 'Bea', 'alan', 'Alba', 'bert']) {
      await client.post('/v1/users', { username, password: PW }, acct.token);
    }
    const all = await client.get('/v1/users', acct.token);
    expect(all.body.items.map((u: any) => u.username)).toEqual([
      'admin',
      'alan',
      'Alba',
      'Bea',
      'bert',
      'zed',
    ]);
    const al = await client.get('/v1/users?q=AL', acct.token);
    expect(al.body.items.map((u: any) => u.username)).toEqual(['alan', 'Alba']);
    expect((await client.get('/v1/users?q=nobody', acct.token)).body).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('pages with limit=1 over 30 users, each once and in order', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'enterprise');
    const names = Array.from({ length: 29 }, (_, i) => `user${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map((username) => client.post('/v1/users', { username, password: PW }, acct.token)),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 40; page++) {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await client.get(`/v1/users?limit=1${query}`, acct.token);
      expect(res.body.items).toHaveLength(1);
      seen.push(res.body.items[0].username);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['admin', ...names]);
  });

  it('refuses tampered cursors and bad limits', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const other = await newAccount(client);
    await client.post('/v1/users', { username: 'aa', password: PW }, other.token);
    const page = await client.get('/v1/users?limit=1', other.token);
    const foreign = page.body.nextCursor;
    for (const cursor of [foreign, 'abc', `${foreign}x`]) {
      const res = await client.get(`/v1/users?cursor=${encodeURIComponent(cursor)}`, acct.token);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_CURSOR');
    }
    // A cursor belongs to its search: reused with another q it is refused, not misread.
    for (let i = 0; i < 2; i++) {
      await client.post('/v1/users', { username: `zz${i}`, password: PW }, acct.token);
    }
    const own = (await client.get('/v1/users?limit=1', acct.token)).body.nextCursor;
    const withQ = await client.get(`/v1/users?q=zz&cursor=${encodeURIComponent(own)}`, acct.token);
    expect(withQ.status).toBe(400);
    expect(withQ.body.error.code).toBe('INVALID_CURSOR');
    for (const limit of ['0', '101', 'abc', '1.5']) {
      expect((await client.get(`/v1/users?limit=${limit}`, acct.token)).body.error.code).toBe(
        'VALIDATION_FAILED',
      );
    }
  });

  it('records every write newest first, without secrets, with cursors', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const mia = await newUser(client, acct, 'mia', { email: 'mia@x.io' });
    await client.patch(`/v1/users/${mia.id}`, { username: 'Mia2', admin: true }, acct.token);
    await client.patch(`/v1/users/${mia.id}`, { password: 'Set-by-admin-9' }, acct.token);
    await client.delete(`/v1/users/${mia.id}`, acct.token);
    const res = await client.get('/v1/audit-log', acct.token);
    const actions = res.body.items.map((e: any) => `${e.action}:${e.target.name}`);
    expect(actions).toEqual([
      'user.deleted:Mia2',
      'user.updated:Mia2',
      'user.updated:Mia2',
      'user.password_changed:mia',
      'user.created:mia',
      'user.password_changed:admin',
      'user.created:admin',
    ]);
    const rename = res.body.items[2];
    expect(rename.changes).toEqual({
      username: { from: 'mia', to: 'Mia2' },
      admin: { from: false, to: true },
    });
    expect(res.body.items[1].changes).toEqual({ password: 'set' });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/\$2[aby]\$|Set-by-admin-9|passwordHash|tokenVersion/);
    expect(res.body.items[0]).toEqual({
      id: expect.any(String),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor: { id: acct.adminId, username: 'admin' },
      action: 'user.deleted',
      target: { type: 'user', id: mia.id, name: 'Mia2' },
      changes: {},
    });
    // Paging the log returns the same events in the same order.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await client.get(`/v1/audit-log?limit=3${q}`, acct.token);
      paged.push(...page.body.items.map((e: any) => `${e.action}:${e.target.name}`));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(actions);
  });
});

it('still lets the admin sign in after all of the above', async () => {
  const { client } = api;
  const acct = await newAccount(client);
  await expect(client.login(acct.slug, 'admin', ADMIN_PASSWORD)).resolves.toBeTruthy();
});
