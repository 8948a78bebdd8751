/**
 * Injected (mocked) faults: DynamoDB throttling, transaction conflicts, 500s, timeouts before
 * and after the write, and SES throttling, from test/support/faults.ts, under real handlers
 * on DynamoDB Local. Requests are handler invocations (test/reliability/invoke.ts) so each
 * runs in its own async context and the middleware can count its attempts.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlanId } from '../../lib/plans.js';
import { verifyAccount } from '../../lib/verify.js';
import { DYNAMO_FAULTS, type DynamoFault, FaultInjector, type Usage } from '../support/faults.js';
import { inbox } from '../support/inbox.js';
import { snapshot } from '../support/table.js';
import { type Answer, type Call, directAccount, invoke } from './invoke.js';

const RATE = 0.2;
const REQUESTS = 300;
const IN_FLIGHT = 12;
const SEED = Number(process.env.FAULT_SEED ?? 7_031);
const TEMP = 'Faulty-temporary-1';

/**
 * The most SDK commands one request may send: updateUser tries 5 times (lib/users.ts
 * MAX_OPTIMISTIC_ATTEMPTS), each a read and a transaction that transact() sends up to 6 times
 * (lib/db.ts MAX_TRANSACTION_ATTEMPTS), after authentication's read: 1 + 5 × (1 + 6).
 */
const MAX_COMMANDS_PER_REQUEST = 36;
/** lib/db.ts and lib/mailer.ts build their clients with maxAttempts 4 and 3. */
const MAX_ATTEMPTS_PER_COMMAND = 4;

let injector: FaultInjector | undefined;
afterEach(() => {
  injector?.restore();
  injector = undefined;
});

/** A 5xx is only ever a clean 503 UNAVAILABLE with Retry-After. */
function contractProblem(res: Answer): string | undefined {
  if (res.status < 500) return undefined;
  if (
    res.status === 503 &&
    res.body?.error?.code === 'UNAVAILABLE' &&
    Number(res.headers['retry-after']) > 0
  ) {
    return undefined;
  }
  return `${res.status} ${res.text}`;
}

type UserModel = {
  id: string;
  username: string;
  admin: boolean;
  email: string | null;
  password: string;
  busy: boolean;
  deleted: boolean;
  /** A 503 left this user's last change unknown: only existence rules still apply. */
  uncertain: boolean;
  /** A delete answered 503: the user may or may not be gone. */
  maybeDeleted: boolean;
};

describe('under injected (mocked) faults', () => {
  it(`${REQUESTS} mixed requests with ${RATE * 100}% of DynamoDB and SES attempts faulted (throttling, TransactionConflict, 500s, timeouts): only clean 503s, no partial writes, bounded retries`, async () => {
    const run = randomBytes(3).toString('hex');
    const plans: PlanId[] = ['cloud-pro', 'cloud-standard', 'enterprise'];
    const accounts: (Awaited<ReturnType<typeof directAccount>> & {
      users: Map<string, UserModel>;
      unknownCreates: string[];
    })[] = [];
    for (const plan of plans) {
      const acct = await directAccount(plan, 'flt');
      const users = new Map<string, UserModel>();
      for (let i = 0; i < 4; i++) {
        const email = `u${i}.${acct.slug}@faults.test`;
        const res = await invoke('users-create', {
          token: acct.token,
          body: { username: `u${i}`, password: TEMP, email },
        });
        if (res.status !== 201) break; // the plan's limit
        users.set(res.body.id, {
          id: res.body.id,
          username: `u${i}`,
          admin: false,
          email,
          password: TEMP,
          busy: false,
          deleted: false,
          uncertain: false,
          maybeDeleted: false,
        });
      }
      accounts.push({ ...acct, users, unknownCreates: [] });
    }

    injector = new FaultInjector({ rate: RATE, seed: SEED, ses: true }).install();
    const random = (() => {
      let x = SEED;
      return () => {
        x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
        return x / 2 ** 31;
      };
    })();
    const int = (n: number) => Math.floor(random() * n);

    const problems: string[] = [];
    const usages: { what: string; usage: Usage }[] = [];
    const statuses: Record<string, number> = {};
    let sent = 0;
    const send = async (what: string, id: string, call: Call) => {
      sent++;
      const { result, usage } = await injector!.track(() => invoke(id, call));
      usages.push({ what, usage });
      statuses[`${what} ${result.status}`] = (statuses[`${what} ${result.status}`] ?? 0) + 1;
      const p = contractProblem(result);
      if (p) problems.push(`${what}: ${p}`);
      return result;
    };

    const grab = (filter: (u: UserModel) => boolean = () => true) => {
      const acct = accounts[int(accounts.length)]!;
      // A user whose delete answered 503 may be gone: nothing more to say about it.
      const free = [...acct.users.values()].filter(
        (u) => !u.busy && !u.deleted && !u.maybeDeleted && filter(u),
      );
      const user = free[int(free.length)];
      if (!user) return undefined;
      user.busy = true;
      return { acct, user };
    };

    const ops: (() => Promise<void>)[] = [
      // Creates: hash a password, so fewer of them.
      async () => {
        const acct = accounts[int(accounts.length)]!;
        const name = `n${int(40)}`;
        const res = await send('create', 'users-create', {
          token: acct.token,
          body: { username: name, password: TEMP, email: `${name}.${run}@faults.test` },
        });
        if (res.status === 201) {
          acct.users.set(res.body.id, {
            id: res.body.id,
            username: name,
            admin: false,
            email: `${name}.${run}@faults.test`,
            password: TEMP,
            busy: false,
            deleted: false,
            uncertain: false,
            maybeDeleted: false,
          });
        } else if (res.status === 503) acct.unknownCreates.push(name);
      },
      ...Array.from({ length: 3 }, () => async () => {
        const held = grab();
        if (!held) return;
        const { acct, user } = held;
        const name = `r${int(60)}`;
        const res = await send('rename', 'users-update', {
          token: acct.token,
          params: { id: user.id },
          body: { username: name },
        });
        if (res.status === 200) user.username = name;
        else if (res.status === 503) user.uncertain = true;
        else if (res.status !== 409) problems.push(`rename: ${res.status} ${res.text}`);
        user.busy = false;
      }),
      ...Array.from({ length: 2 }, () => async () => {
        const held = grab();
        if (!held) return;
        const { acct, user } = held;
        const res = await send('promote/demote', 'users-update', {
          token: acct.token,
          params: { id: user.id },
          body: { admin: !user.admin },
        });
        if (res.status === 200) user.admin = !user.admin;
        else if (res.status === 503) user.uncertain = true;
        else problems.push(`promote/demote: ${res.status} ${res.text}`);
        user.busy = false;
      }),
      async () => {
        const held = grab();
        if (!held) return;
        const { acct, user } = held;
        const email = random() < 0.3 ? null : `e${int(20)}.${run}@faults.test`;
        const res = await send('email', 'users-update', {
          token: acct.token,
          params: { id: user.id },
          body: { email },
        });
        if (res.status === 200) user.email = email;
        else if (res.status === 503) user.uncertain = true;
        else if (res.status !== 409) problems.push(`email: ${res.status} ${res.text}`);
        user.busy = false;
      },
      async () => {
        const held = grab();
        if (!held) return;
        const { acct, user } = held;
        const res = await send('delete', 'users-delete', {
          token: acct.token,
          params: { id: user.id },
        });
        if (res.status === 204) user.deleted = true;
        else if (res.status === 503) {
          user.maybeDeleted = true;
          user.uncertain = true;
        } else problems.push(`delete: ${res.status} ${res.text}`);
        user.busy = false;
      },
      async () => {
        const held = grab();
        if (!held) return;
        const { acct, user } = held;
        const password = `Faulty-${randomBytes(5).toString('hex')}`;
        const res = await send('set password', 'users-update', {
          token: acct.token,
          params: { id: user.id },
          body: { password },
        });
        if (res.status === 200) user.password = password;
        else if (res.status === 503) user.uncertain = true;
        else problems.push(`set password: ${res.status} ${res.text}`);
        user.busy = false;
      },
      async () => {
        const held = grab((u) => !u.uncertain && !u.maybeDeleted);
        if (!held) return;
        const { acct, user } = held;
        const res = await send('login', 'login', {
          body: { account: acct.slug, username: user.username, password: user.password },
        });
        if (res.status === 200 && res.body.user.username !== user.username) {
          problems.push(`login answered ${res.body.user.username} for ${user.username}`);
        } else if (![200, 503].includes(res.status)) {
          problems.push(`login: ${res.status} ${res.text}`);
        }
        user.busy = false;
      },
      async () => {
        const held = grab((u) => u.email !== null && !u.uncertain && !u.maybeDeleted);
        if (!held) return;
        const { acct, user } = held;
        const before = (await inbox(user.email as string)).length;
        const res = await send('forgot', 'forgot-password', {
          body: { account: acct.slug, email: user.email },
        });
        // SES may have stayed throttled: then no email, and still the same 202.
        if (res.status !== 202 && res.status !== 503) problems.push(`forgot: ${res.status}`);
        const mails = await inbox(user.email as string);
        const link = /token=([A-Za-z0-9_-]+)/.exec(mails.at(-1)?.body.text ?? '');
        if (mails.length > before && link?.[1]) {
          const password = `Reset-${randomBytes(5).toString('hex')}`;
          const reset = await send('reset', 'reset-password', {
            body: { token: link[1], newPassword: password },
          });
          if (reset.status === 204) user.password = password;
          else if (reset.status === 503) user.uncertain = true;
          else problems.push(`reset: ${reset.status} ${reset.text}`);
        }
        user.busy = false;
      },
      ...Array.from({ length: 3 }, () => async () => {
        const acct = accounts[int(accounts.length)]!;
        const route = ['users-list', 'audit-log', 'me', 'account'][int(4)]!;
        await send(route, route, { token: acct.token });
      }),
    ];

    // An operation that finds no free user sends nothing; only requests sent count.
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (sent < REQUESTS) await ops[int(ops.length)]!();
      }),
    );
    injector.restore();

    // 1. Only clean 503s.
    expect(problems).toEqual([]);

    // 2. Retries bounded, per command and per request.
    for (const { what, usage } of usages) {
      expect(usage.maxAttemptsPerCommand, what).toBeLessThanOrEqual(MAX_ATTEMPTS_PER_COMMAND);
      expect(usage.commands, what).toBeLessThanOrEqual(MAX_COMMANDS_PER_REQUEST);
    }

    // 3. The faults really happened, every DynamoDB kind of them, at about the rate asked
    // for. (SES sees only the ~20 reset emails here, so it may go unfaulted by chance; the
    // SES test below throttles it for sure.)
    const { injected, totals } = injector;
    for (const kind of DYNAMO_FAULTS) expect(injected[kind], kind).toBeGreaterThan(0);
    expect(totals.faults / totals.attempts).toBeGreaterThan(RATE * 0.7);
    expect(usages.length).toBeGreaterThanOrEqual(REQUESTS);

    // 4. No partial writes, and every 2xx is in the final state.
    for (const acct of accounts) {
      expect(await verifyAccount(acct.accountId)).toEqual([]);
      const stored = new Map(
        (await snapshot(acct.accountId))
          .filter((i) => String(i.SK).startsWith('USER#'))
          .map((i) => [i.id as string, i]),
      );
      stored.delete(acct.adminId);
      for (const u of acct.users.values()) {
        if (u.deleted) expect(stored.has(u.id), `${u.username} was deleted`).toBe(false);
        else if (!u.maybeDeleted) expect(stored.has(u.id), `${u.username} exists`).toBe(true);
        if (!u.deleted && !u.uncertain) {
          const item = stored.get(u.id);
          expect({
            username: item?.username,
            admin: item?.admin,
            email: item?.email ?? null,
          }).toEqual({ username: u.username, admin: u.admin, email: u.email });
        }
      }
      // Users nobody was told about can only come from creates that answered 503.
      const unknown = [...stored.values()].filter((i) => !acct.users.has(i.id as string));
      for (const u of unknown) expect(acct.unknownCreates).toContain(u.username);
    }

    console.info(
      `faults: ${usages.length} requests, ${totals.attempts} attempts, ${totals.faults} injected`,
      JSON.stringify(injected),
      JSON.stringify(statuses),
      `max commands/request ${Math.max(...usages.map((u) => u.usage.commands))}`,
    );
  }, 120_000);

  it('every attempt answered with an injected 500: a read gives up after 4 attempts with 503 UNAVAILABLE and Retry-After', async () => {
    const acct = await directAccount('cloud-pro', 'flt');
    injector = new FaultInjector({ rate: 1, seed: 1, dynamo: ['server'] }).install();
    const { result, usage } = await injector.track(() => invoke('me', { token: acct.token }));
    expect(result.status).toBe(503);
    expect(result.body).toEqual({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    expect(result.headers['retry-after']).toBe('1');
    expect(usage).toMatchObject({ commands: 1, attempts: 4, maxAttemptsPerCommand: 4 });
  });

  it.each([
    ['TransactionConflict', 'conflict', { commands: 7, attempts: 7 }],
    ['timeout before the table', 'timeout', { commands: 2, attempts: 5 }],
  ] as [string, DynamoFault, Partial<Usage>][])(
    'every transaction attempt answered with an injected %s: a create answers 503 and writes nothing',
    async (_, fault, expected) => {
      const acct = await directAccount('cloud-pro', 'flt');
      const before = await snapshot(acct.accountId);
      injector = new FaultInjector({
        rate: 1,
        seed: 1,
        dynamo: [fault],
        operations: ['TransactWriteItems'],
      }).install();
      const { result, usage } = await injector.track(() =>
        invoke('users-create', {
          token: acct.token,
          body: { username: 'never', password: TEMP, email: 'never@faults.test' },
        }),
      );
      expect(result.status).toBe(503);
      expect(result.body.error.code).toBe('UNAVAILABLE');
      expect(result.headers['retry-after']).toBe('1');
      // Authentication's read, then the transaction: tried by transact() (conflicts) or by the
      // SDK (timeouts), never without end.
      expect(usage).toMatchObject(expected);
      injector.restore();
      expect(await snapshot(acct.accountId)).toEqual(before);
      expect(await verifyAccount(acct.accountId)).toEqual([]);
    },
  );

  it('answers lost after the write (injected timeouts): a create that reached the table is whole, and retrying it is a clean 409', async () => {
    const acct = await directAccount('cloud-pro', 'flt');
    injector = new FaultInjector({
      rate: 1,
      seed: 1,
      dynamo: ['lostResponse'],
      operations: ['TransactWriteItems'],
    }).install();
    const body = { username: 'maybe', password: TEMP, email: 'maybe@faults.test' };
    const first = await invoke('users-create', { token: acct.token, body });
    expect(first.status).toBe(503);
    injector.restore();
    // The SDK's retries reused the transaction's ClientRequestToken: written once, whole.
    expect(await verifyAccount(acct.accountId)).toEqual([]);
    const again = await invoke('users-create', { token: acct.token, body });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('USERNAME_TAKEN');
  });

  it('SES throttling on every attempt (injected): forgot-password still answers the same 202 and sends nothing', async () => {
    const acct = await directAccount('cloud-pro', 'flt');
    const email = `throttled.${acct.slug}@faults.test`;
    await invoke('users-create', {
      token: acct.token,
      body: { username: 'throttled', password: TEMP, email },
    });
    injector = new FaultInjector({ rate: 1, seed: 1, dynamo: [], ses: true }).install();
    const { result, usage } = await injector.track(() =>
      invoke('forgot-password', { body: { account: acct.slug, email } }),
    );
    expect(result.status).toBe(202);
    expect(result.body).toEqual({});
    expect(injector.injected.sesThrottle).toBe(3);
    expect(usage.maxAttemptsPerCommand).toBeLessThanOrEqual(3);
    expect(await inbox(email)).toEqual([]);
    injector.restore();
    expect(await verifyAccount(acct.accountId)).toEqual([]);
  });
});
