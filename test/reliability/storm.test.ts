/**
 * A bounded concurrency storm through the HTTP adapter on DynamoDB Local: several accounts at
 * once, 20 requests in flight, a mix of every kind of write. A model of what each 2xx answer
 * promised is kept on the side; afterwards the table must agree with it and pass the checker.
 *
 * Each operation on an existing user holds that user for its duration, so "the last
 * successful rename" is well defined; everything else (accounts, counters, guards, names,
 * emails, seats) is shared and contended. Racing deletes deliberately hit one user at once.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlanId } from '../../lib/plans.js';
import { verifyAccount } from '../../lib/verify.js';
import { seeded } from '../support/faults.js';
import { type Client, newAccount, type Res, useApi } from '../support/harness.js';
import { latestResetToken } from '../support/inbox.js';

const api = useApi();

const OPERATIONS = 520;
const IN_FLIGHT = 20;
const SEED = Number(process.env.STORM_SEED ?? 20_240_607);
const PLANS: PlanId[] = ['cloud-standard', 'professional', 'cloud-pro', 'enterprise'];
const TEMP_PASSWORD = 'Storm-temporary-1';

type UserModel = {
  id: string;
  username: string;
  email: string | null;
  admin: boolean;
  password: string;
  resets: number;
  busy: boolean;
  deleted: boolean;
};

type AccountModel = {
  slug: string;
  accountId: string;
  adminId: string;
  token: string;
  users: Map<string, UserModel>;
};

type Kind =
  | 'create'
  | 'rename'
  | 'email'
  | 'promote'
  | 'demote'
  | 'delete'
  | 'racing-delete'
  | 'password'
  | 'login'
  | 'forgot-reset'
  | 'read';

// bcrypt (cost 10, ~90 ms of CPU each) is what a storm spends most on: creates, password
// sets, logins and resets are kept to what the check needs; renames, emails, promotions,
// demotions, deletes and reads make up the rest.
const WEIGHTS: [Kind, number][] = [
  ['create', 9],
  ['rename', 22],
  ['email', 9],
  ['promote', 8],
  ['demote', 8],
  ['delete', 6],
  ['racing-delete', 1],
  ['password', 3],
  ['login', 4],
  ['forgot-reset', 2],
  ['read', 8],
];

describe('concurrency storm (DynamoDB Local, through HTTP)', () => {
  it(`${OPERATIONS} mixed operations over 4 accounts, ${IN_FLIGHT} in flight: every 2xx is in the final state, no 5xx, the checker passes`, async () => {
    const client: Client = api.client;
    const random = seeded(SEED);
    const int = (n: number) => Math.floor(random() * n);
    const run = randomBytes(3).toString('hex');
    const accounts: AccountModel[] = [];
    for (const plan of PLANS) {
      const a = await newAccount(client, plan);
      accounts.push({ ...a, users: new Map() });
    }

    const answers: { kind: Kind; status: number; code?: string }[] = [];
    const unexpected: string[] = [];
    const record = (kind: Kind, res: Res, allowed: number[], what: string) => {
      answers.push({ kind, status: res.status, code: res.body?.error?.code });
      if (!allowed.includes(res.status)) {
        unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res;
    };

    const names = ['s', 'S', 'dev', 'Dev', 'ops', 'qa.lead', 'x_1', 'admin'];
    const username = () => `${names[int(names.length)]}${int(25)}`;
    // Per account: accounts may share an address, but the inbox is one for the whole run, and
    // the newest mail to a shared address could be another account's link.
    const email = (slug: string) => `m${int(30)}.${run}@${slug}.storm.test`;
    const strongPassword = () => `Storm-${randomBytes(6).toString('hex')}`;

    /** A free (not busy, not deleted) user of any account, held until released. */
    const grab = (filter: (u: UserModel) => boolean = () => true) => {
      const start = int(accounts.length);
      for (let i = 0; i < accounts.length; i++) {
        const acct = accounts[(start + i) % accounts.length]!;
        const free = [...acct.users.values()].filter((u) => !u.busy && !u.deleted && filter(u));
        if (free.length) {
          const user = free[int(free.length)]!;
          user.busy = true;
          return { acct, user };
        }
      }
      return undefined;
    };

    const pickKind = (): Kind => {
      let roll = random() * WEIGHTS.reduce((s, [, w]) => s + w, 0);
      for (const [kind, w] of WEIGHTS) {
        roll -= w;
        if (roll < 0) return kind;
      }
      return 'read';
    };

    async function create() {
      const acct = accounts[int(accounts.length)]!;
      const name = username();
      const mail = random() < 0.6 ? email(acct.slug) : null;
      const admin = random() < 0.2;
      const res = record(
        'create',
        await client.post(
          '/v1/users',
          { username: name, password: TEMP_PASSWORD, admin, ...(mail ? { email: mail } : {}) },
          acct.token,
        ),
        [201, 403, 409],
        `create ${name}`,
      );
      if (res.status === 201) {
        acct.users.set(res.body.id, {
          id: res.body.id,
          username: name,
          email: mail,
          admin,
          password: TEMP_PASSWORD,
          resets: 0,
          busy: false,
          deleted: false,
        });
      } else if (res.status === 403 && res.body.error.code !== 'USER_LIMIT_REACHED') {
        unexpected.push(`create ${name}: 403 ${res.body.error.code}`);
      }
    }

    async function onUser(kind: Kind): Promise<boolean> {
      const filter =
        kind === 'promote'
          ? (u: UserModel) => !u.admin
          : kind === 'demote'
            ? (u: UserModel) => u.admin
            : kind === 'forgot-reset'
              ? (u: UserModel) => u.email !== null && u.resets < 4
              : kind === 'racing-delete'
                ? // Not admins: when a demotion races too, deleting an admin may rightly
                  // answer 409 LAST_ADMIN, and this case asserts exactly one 204.
                  (u: UserModel) => !u.admin
                : undefined;
      const held = grab(filter);
      if (!held) return false;
      const { acct, user } = held;
      const path = `/v1/users/${user.id}`;
      try {
        switch (kind) {
          case 'rename': {
            const name = username();
            const res = record(
              kind,
              await client.patch(path, { username: name }, acct.token),
              [200, 409],
              `rename ${user.username} → ${name}`,
            );
            if (res.status === 200) user.username = name;
            break;
          }
          case 'email': {
            const mail = random() < 0.2 ? null : email(acct.slug);
            const res = record(
              kind,
              await client.patch(path, { email: mail }, acct.token),
              [200, 409],
              `email ${user.email} → ${mail}`,
            );
            if (res.status === 200) user.email = mail;
            break;
          }
          case 'promote':
          case 'demote': {
            const admin = kind === 'promote';
            const res = record(
              kind,
              await client.patch(path, { admin }, acct.token),
              [200],
              `${kind} ${user.username}`,
            );
            if (res.status === 200) user.admin = admin;
            break;
          }
          case 'delete': {
            const res = record(kind, await client.delete(path, acct.token), [204], 'delete');
            if (res.status === 204) user.deleted = true;
            break;
          }
          case 'racing-delete': {
            const all = await Promise.all([1, 2, 3].map(() => client.delete(path, acct.token)));
            for (const res of all) record(kind, res, [204, 404], 'racing delete');
            const wins = all.filter((r) => r.status === 204).length;
            if (wins !== 1) unexpected.push(`racing delete: ${wins} answers were 204`);
            if (wins > 0) user.deleted = true;
            break;
          }
          case 'password': {
            const next = strongPassword();
            const res = record(
              kind,
              await client.patch(path, { password: next }, acct.token),
              [200],
              'password',
            );
            if (res.status === 200) user.password = next;
            break;
          }
          case 'login': {
            const res = record(
              kind,
              await client.post('/v1/auth/login', {
                account: acct.slug,
                username: user.username.toUpperCase(),
                password: user.password,
              }),
              [200],
              `login ${user.username}`,
            );
            // The session reflects the last successful writes to this user.
            if (res.status === 200) {
              const u = res.body.user;
              if (u.username !== user.username || u.admin !== user.admin || u.id !== user.id) {
                unexpected.push(`login ${user.username}: answered ${JSON.stringify(u)}`);
              }
            }
            break;
          }
          case 'forgot-reset': {
            const forgot = record(
              kind,
              await client.post('/v1/auth/forgot-password', {
                account: acct.slug,
                email: user.email,
              }),
              [202],
              'forgot',
            );
            if (forgot.status !== 202) break;
            user.resets++;
            const token = await latestResetToken(user.email as string);
            const next = strongPassword();
            const res = record(
              kind,
              await client.post('/v1/auth/reset-password', { token, newPassword: next }),
              [204],
              `reset ${user.username}`,
            );
            if (res.status === 204) user.password = next;
            break;
          }
          case 'read': {
            const res = record(kind, await client.get(path, acct.token), [200], 'read');
            const u = res.body;
            if (
              res.status === 200 &&
              (u.username !== user.username || u.admin !== user.admin || u.email !== user.email)
            ) {
              unexpected.push(`read ${user.username}: answered ${JSON.stringify(u)}`);
            }
            break;
          }
          default:
            throw new Error(`not a user operation: ${kind}`);
        }
      } finally {
        user.busy = false;
      }
      return true;
    }

    let started = 0;
    const worker = async () => {
      while (started < OPERATIONS) {
        started++;
        const kind = pickKind();
        if (kind === 'create' || !(await onUser(kind))) await create();
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));

    // No 5xx, and nothing outside the contract for the operation.
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(OPERATIONS);

    for (const acct of accounts) {
      // Every 2xx is reflected: users that got 201 and no 204 exist with the last successful
      // rename, email and promotion/demotion; users that got a 204 are gone.
      const listed = new Map<string, any>();
      let cursor: string | null = null;
      do {
        const page: Res = await client.get(
          `/v1/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          acct.token,
        );
        expect(page.status).toBe(200);
        for (const u of page.body.items) listed.set(u.id, u);
        cursor = page.body.nextCursor;
      } while (cursor);
      listed.delete(acct.adminId);
      const live = [...acct.users.values()].filter((u) => !u.deleted);
      expect([...listed.keys()].sort()).toEqual(live.map((u) => u.id).sort());
      for (const u of live) {
        expect(listed.get(u.id)).toMatchObject({
          username: u.username,
          email: u.email,
          admin: u.admin,
        });
      }
      const account = await client.get('/v1/account', acct.token);
      expect(account.body.userCount).toBe(live.length + 1);
      expect(await verifyAccount(acct.accountId)).toEqual([]);
    }

    const tally: Record<string, number> = {};
    for (const a of answers)
      tally[`${a.kind} ${a.status}`] = (tally[`${a.kind} ${a.status}`] ?? 0) + 1;
    console.info(`storm: ${answers.length} requests`, JSON.stringify(tally));
  }, 120_000);
});
