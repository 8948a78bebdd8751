import { describe, expect, it } from 'vitest';
import { setPlan } from '../../lib/accounts.js';
import { newAccount, newUser, useApi } from '../support/harness.js';

const api = useApi();

describe('employees', () => {
  it('lets admins add, edit and remove employees that any user can list, sorted by name', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'cloud-pro');
    const created = [];
    for (const name of ['zoë', 'Ann', 'émile', 'bob', 'ann']) {
      const res = await client.post('/v1/employees', { name }, acct.token);
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(`/v1/employees/${res.body.id}`);
      created.push(res.body);
    }
    expect(created[0]).toEqual({
      id: expect.any(String),
      name: 'zoë',
      email: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const user = await newUser(client, acct, 'reader');
    const list = await client.get('/v1/employees', user.token);
    expect(list.status).toBe(200);
    // Case and accents do not change the order ("Ann" and "ann" tie, in any order).
    expect(list.body.items.map((e: any) => e.name.toLowerCase())).toEqual([
      'ann',
      'ann',
      'bob',
      'émile',
      'zoë',
    ]);

    const bob = created[3];
    const edited = await client.patch(
      `/v1/employees/${bob.id}`,
      { name: 'Robert', email: 'r@x.io' },
      acct.token,
    );
    expect(edited.body).toMatchObject({ name: 'Robert', email: 'r@x.io' });
    const cleared = await client.patch(`/v1/employees/${bob.id}`, { email: null }, acct.token);
    expect(cleared.body.email).toBeNull();
    expect((await client.delete(`/v1/employees/${bob.id}`, acct.token)).status).toBe(204);
    const gone = await client.delete(`/v1/employees/${bob.id}`, acct.token);
    expect(gone.body.error.code).toBe('EMPLOYEE_NOT_FOUND');
    expect((await client.patch(`/v1/employees/${bob.id}`, { name: 'x' }, acct.token)).status).toBe(
      404,
    );

    // Regular users read but do not write.
    const denied = await client.post('/v1/employees', { name: 'x' }, user.token);
    expect(denied.body.error.code).toBe('ADMIN_REQUIRED');
    // Employees take no seat.
    expect((await client.get('/v1/account', acct.token)).body.userCount).toBe(2);

    const audit = await client.get('/v1/audit-log', acct.token);
    expect(audit.body.items.slice(0, 3).map((e: any) => `${e.action}:${e.target.name}`)).toEqual([
      'employee.deleted:Robert',
      'employee.updated:Robert',
      'employee.updated:Robert',
    ]);
  });

  it('pages through employees with cursors, each once', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'enterprise');
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        client.post('/v1/employees', { name: 'Same name', email: `e${i}@x.io` }, acct.token),
      ),
    );
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await client.get(`/v1/employees?limit=3${q}`, acct.token);
      ids.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('refuses employees on plans without the feature and keeps them across a downgrade', async () => {
    const { client } = api;
    const std = await newAccount(client, 'cloud-standard');
    for (const [method, path, body] of [
      ['GET', '/v1/employees', undefined],
      ['POST', '/v1/employees', { name: 'x' }],
      ['PATCH', '/v1/employees/any', { name: 'x' }],
      ['DELETE', '/v1/employees/any', undefined],
    ] as const) {
      const res = await client.request(method, path, { token: std.token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FEATURE_NOT_IN_PLAN');
    }

    const pro = await newAccount(client, 'professional');
    await client.post('/v1/employees', { name: 'Kept' }, pro.token);
    await setPlan(pro.slug, 'starter');
    expect((await client.get('/v1/employees', pro.token)).body.error.code).toBe(
      'FEATURE_NOT_IN_PLAN',
    );
    await setPlan(pro.slug, 'cloud-pro');
    expect(
      (await client.get('/v1/employees', pro.token)).body.items.map((e: any) => e.name),
    ).toEqual(['Kept']);
  });

  it('validates names and emails strictly', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 'a', email: 'no' },
      { name: 'a', role: 'x' },
    ]) {
      const res = await client.post('/v1/employees', body, acct.token);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const weird = await client.post('/v1/employees', { name: 'a#EMPLOYEE#b ‮' }, acct.token);
    expect(weird.status).toBe(201);
    expect(weird.body.name).toBe('a#EMPLOYEE#b ‮');
  });

  it('serves the OpenAPI document publicly', async () => {
    const res = await api.client.get('/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toContain('/v1/employees/{id}');
  });
});
