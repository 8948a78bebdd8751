import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { run } from '../../infra/cli/accounts.js';
import { createAccount } from '../../lib/accounts.js';
import { OPERATOR } from '../../lib/audit.js';
import { config } from '../../lib/config.js';
import { db } from '../../lib/db.js';
import { keys } from '../../lib/keys.js';
import { createUser } from '../../lib/users.js';
import { verifyAccount, verifyAccountBySlug } from '../../lib/verify.js';
import { uniqueSlug } from '../support/harness.js';
import { itemsWithPrefix } from '../support/table.js';

const exec = promisify(execFile);
const T = () => config.tableName;
const target = () => ['--table', config.tableName, '--endpoint', config.dynamoEndpoint as string];

/** A fresh, healthy account: an admin and one regular user, both with emails. */
async function fixture() {
  const slug = uniqueSlug('vf');
  const created = await createAccount({
    slug,
    name: 'Verify fixture',
    plan: 'cloud-standard',
    adminUsername: 'Boss',
    adminEmail: 'boss@verify.test',
    adminPassword: 'Fixture-admin-pass-1',
  });
  const accountId = created.account.id;
  const actor = { id: created.admin.id, username: 'Boss' };
  const user = await createUser(
    accountId,
    { username: 'Worker', password: 'Fixture-user-pass-1', admin: false, email: 'w@verify.test' },
    actor,
  );
  return { slug, accountId, adminId: created.admin.id, userId: user.id };
}

const put = (Item: Record<string, unknown>) => db().send(new PutCommand({ TableName: T(), Item }));
const del = (Key: { PK: string; SK: string }) =>
  db().send(new DeleteCommand({ TableName: T(), Key }));
const set = (Key: { PK: string; SK: string }, values: Record<string, unknown>) =>
  db().send(
    new UpdateCommand({
      TableName: T(),
      Key,
      UpdateExpression: `SET ${Object.keys(values)
        .map((_, i) => `#k${i} = :v${i}`)
        .join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(
        Object.keys(values).map((k, i) => [`#k${i}`, k]),
      ),
      ExpressionAttributeValues: Object.fromEntries(
        Object.values(values).map((v, i) => [`:v${i}`, v]),
      ),
    }),
  );

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** One corruption per case, written straight into a fresh account's partition. */
const CORRUPTIONS: [string, (f: Fixture) => Promise<unknown>, RegExp][] = [
  [
    'a stray username guard',
    (f) => put({ ...keys.usernameGuard(f.accountId, 'ghost'), type: 'guard', userId: 'nobody' }),
    /username guard USERNAME#ghost points at missing user nobody/,
  ],
  [
    'a stray email guard',
    (f) => put({ ...keys.emailGuard(f.accountId, 'g@x.io'), type: 'guard', userId: f.adminId }),
    /email guard EMAIL#g@x.io points at user .* whose email is boss@verify.test/,
  ],
  [
    'a bumped user counter',
    (f) => set(keys.account(f.accountId), { userCount: 3 }),
    /userCount is 3 but 2 users exist/,
  ],
  [
    'an admin counter that disagrees',
    (f) => set(keys.account(f.accountId), { adminCount: 2 }),
    /adminCount is 2 but 1 admins exist/,
  ],
  [
    'no admin left',
    async (f) => {
      await set(keys.user(f.accountId, f.adminId), { admin: false });
      await set(keys.account(f.accountId), { adminCount: 0 });
    },
    /the account has no admin/,
  ],
  [
    'a missing username guard',
    (f) => del(keys.usernameGuard(f.accountId, 'worker')),
    /user .* \(Worker\) has no username guard of its own/,
  ],
  [
    'a missing email guard',
    (f) => del(keys.emailGuard(f.accountId, 'w@verify.test')),
    /user .* \(Worker\) has no email guard of its own/,
  ],
  [
    'a username whose guard and index entry still hold the old name',
    (f) => set(keys.user(f.accountId, f.userId), { username: 'Renamed', usernameKey: 'renamed' }),
    /has index keys .* that do not match its username/,
  ],
  [
    'an orphaned reset token',
    (f) =>
      put({
        ...keys.resetToken(f.accountId, 'gone-user'),
        type: 'resetToken',
        accountId: f.accountId,
        userId: 'gone-user',
        tokenHash: 'x',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      }),
    /reset token RESETTOKEN#gone-user belongs to missing user gone-user/,
  ],
  [
    'a user deleted behind the audit log’s back',
    (f) => del(keys.user(f.accountId, f.userId)),
    /is gone without a user.deleted audit event/,
  ],
  [
    'a user without its user.created event',
    async (f) => {
      const events = await itemsWithPrefix(f.accountId, 'AUDIT#');
      const mine = events.find((e: any) => e.target?.id === f.userId);
      await del({ PK: mine?.PK as string, SK: mine?.SK as string });
    },
    /user .* \(Worker\) has no user.created audit event/,
  ],
  [
    'a user change with no audit event',
    (f) => set(keys.user(f.accountId, f.userId), { updatedAt: '2999-01-01T00:00:00.000Z' }),
    /was last changed at 2999-01-01T00:00:00.000Z but its newest audit event is/,
  ],
  [
    'an item of no known shape',
    (f) => put({ PK: keys.account(f.accountId).PK, SK: 'JUNK#1' }),
    /unexpected item JUNK#1/,
  ],
];

describe('the integrity checker (lib/verify.ts)', () => {
  it('passes a healthy account, by id and by slug', async () => {
    const f = await fixture();
    expect(await verifyAccount(f.accountId)).toEqual([]);
    expect(await verifyAccountBySlug(f.slug)).toEqual([]);
  });

  it.each(CORRUPTIONS)('reports %s written straight into the table', async (_, corrupt, says) => {
    const f = await fixture();
    await corrupt(f);
    const problems = await verifyAccount(f.accountId);
    expect(problems.join('\n')).toMatch(says);
  });

  it('checks accounts created by the operator, whose admin event has the operator as actor', async () => {
    const f = await fixture();
    const events = await itemsWithPrefix(f.accountId, 'AUDIT#');
    expect(events.some((e: any) => e.actor?.id === OPERATOR.id)).toBe(true);
    expect(await verifyAccount(f.accountId)).toEqual([]);
  });
});

describe('npm run accounts -- verify', () => {
  it('prints {ok: true, problems: []} for a healthy account', async () => {
    const f = await fixture();
    expect(await run(['verify', '--slug', f.slug, ...target()])).toEqual({
      ok: true,
      problems: [],
    });
  });

  it('prints the problems and exits 1 as a process when an invariant is broken', async () => {
    const f = await fixture();
    await set(keys.account(f.accountId), { userCount: 7 });
    const failed = await exec('npx', [
      'tsx',
      'infra/cli/accounts.ts',
      'verify',
      '--slug',
      f.slug,
      ...target(),
    ]).then(
      () => undefined,
      (e) => e,
    );
    expect(failed?.code).toBe(1);
    const report = JSON.parse(failed.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('userCount is 7 but 2 users exist');
  });

  it('refuses an unknown slug with a clear message', async () => {
    const err = await run(['verify', '--slug', uniqueSlug('none'), ...target()]).then(
      () => undefined,
      (e) => e,
    );
    expect(err?.message).toMatch(/No account has slug/);
  });
});
