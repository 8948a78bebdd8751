import { describe, expect, it } from 'vitest';
import { type RouteId, routeList } from '../../lib/routes.js';
import { newAccount, newUser, useApi } from '../support/harness.js';
import { snapshot } from '../support/table.js';

const api = useApi();

/**
 * A plausible body per route. Every route of the route table must have an entry, so a new
 * route cannot skip the isolation matrix.
 */
const SAMPLE_BODY: Record<RouteId, unknown> = {
  login: undefined, // filled per test: the victim's slug with the attacker's credentials
  logout: undefined,
  me: undefined,
  'me-password': undefined,
  account: undefined,
  'users-list': undefined,
  'users-create': undefined,
  'users-get': undefined,
  'users-update': { admin: false, username: 'hijacked', email: null, password: 'Hijacked-pass-1' },
  'users-delete': undefined,
  'audit-log': undefined,
  // Public by design; aimed at the victim's user name inside the attacker's own account.
  'forgot-password': { account: 'filled per test', username: 'victim-user' },
  'reset-password': { token: 'A'.repeat(43), newPassword: 'Hijacked-pass-1' },
  'reset-page': undefined,
  'employees-list': undefined,
  'employees-create': { name: 'Planted' },
  'employees-update': { name: 'Renamed by attacker', email: null },
  'employees-delete': undefined,
  openapi: undefined,
};

describe('tenant isolation', () => {
  it('every route, called with another account’s ids and token, answers 404/403 or only its own data and changes nothing', async () => {
    const { client } = api;
    const victim = await newAccount(client);
    const victimUser = await newUser(client, victim, 'victim-user', { email: 'v@victim.io' });
    const victimEmployee = await client.post(
      '/v1/employees',
      { name: 'victim-employee' },
      victim.token,
    );
    expect(victimEmployee.status).toBe(201);
    const attacker = await newAccount(client);
    const before = await snapshot(victim.accountId);

    const seen = new Set<string>();
    // Logout last: it ends the attacker's session, which the other calls need.
    const routes = routeList().sort(
      (a, b) => Number(a.id === 'logout') - Number(b.id === 'logout'),
    );
    for (const route of routes) {
      expect(SAMPLE_BODY, `route ${route.id} needs an isolation case`).toHaveProperty(route.id);
      const victimId = route.id.startsWith('employees') ? victimEmployee.body.id : victimUser.id;
      const path = route.path.replace('{id}', victimId);
      const body =
        route.id === 'login'
          ? { account: victim.slug, username: 'admin', password: 'Admin-pass-8421-not' }
          : route.id === 'forgot-password'
            ? { account: attacker.slug, username: 'victim-user' }
            : SAMPLE_BODY[route.id];
      const res = await client.request(route.method, path, {
        token: attacker.token,
        ...(body !== undefined || ['POST', 'PATCH'].includes(route.method)
          ? { body: body ?? {} }
          : {}),
      });
      seen.add(route.id);
      const text = JSON.stringify(res.body ?? '');
      // Nothing of the victim's ever shows up in an answer to the attacker.
      expect(text, route.id).not.toContain(victim.accountId);
      expect(text, route.id).not.toContain(victimUser.id);
      expect(text, route.id).not.toContain('victim-user');
      expect(text, route.id).not.toContain('victim-employee');
      expect(text, route.id).not.toContain(victimEmployee.body.id);
      if (route.path.includes('{id}')) {
        expect([403, 404], `${route.id} answered ${res.status}`).toContain(res.status);
      } else {
        expect(res.status, route.id).toBeLessThan(500);
      }
    }
    expect(seen.size).toBe(routeList().length);
    expect(await snapshot(victim.accountId)).toEqual(before);
  });

  it('a token of one account never reads another account’s user list', async () => {
    const { client } = api;
    const a = await newAccount(client);
    const b = await newAccount(client);
    await newUser(client, a, 'only-in-a');
    const list = await client.get('/v1/users?q=only', b.token);
    expect(list.body.items).toEqual([]);
  });
});

describe('hostile keys', () => {
  it('refuses usernames that could splice keys or impersonate by look-alike letters', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const before = await snapshot(acct.accountId);
    for (const username of [
      'a#b',
      'USER#x',
      'аdmin', // Cyrillic а
      'admin\u200b',
      'ad\u0000min',
      'x'.repeat(65),
      '',
      'a/b',
      'ä',
    ]) {
      const res = await client.post(
        '/v1/users',
        { username, password: 'Temporary-pass-1' },
        acct.token,
      );
      expect(res.status, JSON.stringify(username)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await snapshot(acct.accountId)).toEqual(before);
  });

  it('stores an email with key characters as one value that touches no other item', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    const before = await snapshot(acct.accountId);
    const res = await client.post(
      '/v1/users',
      { username: 'hashy', password: 'Temporary-pass-1', email: 'a#USER#x%23@example.com' },
      acct.token,
    );
    const after = await snapshot(acct.accountId);
    if (res.status === 201) {
      const added = after.filter((i) => !before.some((b) => b.SK === i.SK));
      const kinds = added.map((i) => String(i.SK).split('#')[0]).sort();
      expect(kinds).toEqual(['AUDIT', 'EMAIL', 'USER', 'USERNAME']);
      expect(added.find((i) => String(i.SK).startsWith('EMAIL#'))?.SK).toBe(
        'EMAIL#a%23user%23x%2523@example.com',
      );
      const changed = before.filter(
        (b) => JSON.stringify(after.find((a) => a.SK === b.SK)) !== JSON.stringify(b),
      );
      expect(changed.map((c) => c.SK)).toEqual(['ACCOUNT']); // only the counter
    } else {
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(after).toEqual(before);
    }
  });

  it('treats an account slug or username with key characters as unknown', async () => {
    const { client } = api;
    const acct = await newAccount(client);
    for (const [account, username] of [
      [`${acct.slug}#x`, 'admin'],
      [acct.slug, 'admin#USER'],
      ['x'.repeat(64), 'y'.repeat(64)],
    ]) {
      const res = await client.post('/v1/auth/login', {
        account,
        username,
        password: 'Admin-pass-8421',
      });
      expect(res.status).toBe(401);
    }
  });
});
