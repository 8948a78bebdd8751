import { describe, expect, it } from 'vitest';
import { newAccount, newUser, useApi } from '../support/harness.js';
import { counters } from '../support/table.js';

const api = useApi();
const PW = 'Temporary-pass-1';

describe('rules that hold under concurrency (DynamoDB Local, through HTTP)', () => {
  it('20 concurrent creates at a limit of 5 create exactly the free seats', async () => {
    const { client } = api;
    const acct = await newAccount(client, 'cloud-standard');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.post('/v1/users', { username: `c${i}`, password: PW }, acct.token),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(4);
    expect(statuses.filter((s) => s === 403)).toHaveLength(16);
    for (const r of results.filter((x) => x.status === 403)) {
      expect(r.body.error).toMatchObject({ code: 'USER_LIMIT_REACHED', limit: 5 });
    }
    const list = await client.get('/v1/users?limit=100', acct.token);
    expect(list.body.items).toHaveLength(5);
    expect(await counters(acct.accountId)).toEqual({ userCount: 5, adminCount: 1 });
  });

  it('the same username created 8 times at once: one 201, seven 409', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.post('/v1/users', { username: i % 2 ? 'Sam' : 'sam', password: PW }, acct.token),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const conflicts = results.filter((r) => r.status === 409);
    expect(conflicts).toHaveLength(7);
    for (const r of conflicts) expect(r.body.error.code).toBe('USERNAME_TAKEN');
    expect(await counters(acct.accountId)).toEqual({ userCount: 2, adminCount: 1 });
  });

  it('two admins demoting each other at once leave exactly one admin', async () => {
    const { client } = api;
    for (let round = 0; round < 3; round++) {
      const acct = await newAccount(client);
      const other = await newUser(client, acct, 'second', { admin: true });
      const [a, b] = await Promise.all([
        client.patch(`/v1/users/${other.id}`, { admin: false }, acct.token),
        client.patch(`/v1/users/${acct.adminId}`, { admin: false }, other.token),
      ]);
      const statuses = [a.status, b.status].sort();
      // Either one wins and the other hits LAST_ADMIN, or the second finds its caller demoted.
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      expect((await counters(acct.accountId)).adminCount).toBe(1);
      const list = await client.get('/v1/users', a.status === 200 ? acct.token : other.token);
      expect(list.body.items.filter((u: any) => u.admin)).toHaveLength(1);
    }
  });

  it('concurrent deletes of the same user free exactly one seat', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const res = await client.post('/v1/users', { username: 'gone', password: PW }, acct.token);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.delete(`/v1/users/${res.body.id}`, acct.token)),
    );
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404)).toHaveLength(4);
    expect(await counters(acct.accountId)).toEqual({ userCount: 1, adminCount: 1 });
  });

  it('concurrent deletes of the same admin: one 204, the rest 404, one admin left', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const res = await client.post(
      '/v1/users',
      { username: 'second-admin', password: PW, admin: true },
      acct.token,
    );
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.delete(`/v1/users/${res.body.id}`, acct.token)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404]);
    expect(await counters(acct.accountId)).toEqual({ userCount: 1, adminCount: 1 });
  });
});
