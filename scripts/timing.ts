/**
 * `npm run timing [-- --n 50]`: measures whether response time tells known users from
 * unknown ones (user enumeration by timing). Not a test: it starts its own DynamoDB Local
 * (in memory), local SES and API on free ports, makes an account, then times, one request at
 * a time, sign-in and forgot-password for known and unknown users and prints the medians.
 *
 * It runs with the service's defaults: bcrypt cost 11 and FORGOT_PASSWORD_MIN_MS (400 ms),
 * the floor forgot-password pads every answer to (set either in the environment to compare).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startApi } from '../infra/local/adapter.js';
import { useLocalServices } from '../infra/local/env.js';
import { ensureTable, freePort, startDynamo, startSes } from '../infra/local/services.js';
import { createAccount } from '../lib/accounts.js';
import { config } from '../lib/config.js';
import { logger } from '../lib/logger.js';
import { RESET_EMAILS_PER_HOUR } from '../lib/reset-request.js';
import { LOCKOUT } from '../lib/sessions.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '50' } } });
const N = Number(values.n);
if (!Number.isInteger(N) || N < 50) {
  console.error('--n must be an integer of at least 50');
  process.exit(1);
}

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    n: ms.length,
    median: at(0.5),
    p10: at(0.1),
    p90: at(0.9),
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
  };
};

async function main() {
  const dynamo = await startDynamo({ port: await freePort() });
  const ses = await startSes(await freePort());
  const stops: (() => Promise<unknown>)[] = [
    () => dynamo.stop(),
    () => new Promise((r) => ses.server.close(r)),
  ];
  try {
    const table = 'capptro-timing';
    useLocalServices({
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      tableName: table,
      signingKeys: JSON.stringify({ kid: 'timing', secret: randomBytes(32).toString('base64url') }),
    });
    // One JSON line per request would bury the report; LOG_LEVEL still wins.
    if (!process.env.LOG_LEVEL) logger.setLogLevel('SILENT');
    await ensureTable(dynamo.endpoint, table);
    const api = await startApi(0);
    stops.unshift(api.close);

    const post = async (path: string, body: unknown, token?: string) => {
      const started = performance.now();
      const res = await fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, ms: performance.now() - started, body: text };
    };
    const expect = (res: { status: number; body: string }, status: number, what: string) => {
      if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.body}`);
    };

    // An account, its admin, and enough users with email to stay under the reset cap.
    const slug = `timing-${randomBytes(4).toString('hex')}`;
    const created = await createAccount({
      slug,
      name: 'Timing',
      plan: 'enterprise',
      adminUsername: 'admin',
    });
    const temp = created.temporaryPassword as string;
    const first = await post('/v1/auth/login', {
      account: slug,
      username: 'admin',
      password: temp,
    });
    expect(first, 200, 'admin login');
    const admin = JSON.parse(first.body).accessToken as string;
    const changed = await post(
      '/v1/me/password',
      { currentPassword: temp, newPassword: 'Timing-admin-pass-1' },
      admin,
    );
    expect(changed, 200, 'admin password');
    const token = JSON.parse(changed.body).accessToken as string;
    const userPassword = 'Timing-user-pass-1';
    const mailUsers = Math.ceil(N / RESET_EMAILS_PER_HOUR) + 1;
    for (let i = 0; i < mailUsers; i++) {
      const res = await post(
        '/v1/users',
        { username: `known${i}`, password: userPassword, email: `known${i}@timing.test` },
        token,
      );
      expect(res, 201, 'create user');
    }
    process.stderr.write(
      `Measuring ${N} requests per case (bcrypt cost ${config.bcryptCost}, ` +
        `FORGOT_PASSWORD_MIN_MS ${config.forgotPasswordMinMs})…\n`,
    );

    // Warm-up: load every handler once and let the JIT settle; not measured.
    for (let i = 0; i < 5; i++) {
      await post('/v1/auth/login', { account: slug, username: 'known0', password: userPassword });
      await post('/v1/auth/login', {
        account: slug,
        username: `warm${i}`,
        password: 'x'.repeat(9),
      });
      await post('/v1/auth/forgot-password', { account: slug, username: `warm${i}` });
    }

    const cases: Record<string, number[]> = {
      'login: known user, wrong password': [],
      'login: unknown user': [],
      'login: unknown account': [],
      'login: known user, right password': [],
      'forgot: known user with email': [],
      'forgot: known user without email (admin)': [],
      'forgot: unknown user': [],
    };
    const wrongPassword = 'Not-the-password-9';
    /** Post, check the status every case of a kind must share, and record the time. */
    const timed = async (name: string, path: string, body: unknown, status: number) => {
      const res = await post(path, body);
      expect(res, status, name);
      cases[name]!.push(res.ms);
    };
    const LOGIN = '/v1/auth/login';
    const FORGOT = '/v1/auth/forgot-password';
    for (let i = 0; i < N; i++) {
      // Alternate the cases so drift over time hits all of them alike.
      const known = `known${i % mailUsers}`;
      const bad = { account: slug, username: known, password: wrongPassword };
      await timed('login: known user, wrong password', LOGIN, bad, 401);
      // A success clears the failures, so the lockout never kicks in here.
      await timed(
        'login: known user, right password',
        LOGIN,
        { ...bad, password: userPassword },
        200,
      );
      await timed('login: unknown user', LOGIN, { ...bad, username: `nobody-${i}` }, 401);
      await timed('login: unknown account', LOGIN, { ...bad, account: `no-such-${i}` }, 401);

      const mailed = `known${Math.floor(i / RESET_EMAILS_PER_HOUR) % mailUsers}`;
      await timed(
        'forgot: known user with email',
        FORGOT,
        { account: slug, username: mailed },
        202,
      );
      await timed(
        'forgot: known user without email (admin)',
        FORGOT,
        { account: slug, username: 'admin' },
        202,
      );
      await timed('forgot: unknown user', FORGOT, { account: slug, username: `nobody-${i}` }, 202);
    }

    const rows = Object.entries(cases).map(([name, ms]) => ({ case: name, ...stats(ms) }));
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (v: number) => v.toFixed(1).padStart(8);
    console.log(`\n${pad('case', 44)}       n   median      p10      p90     mean  (ms)`);
    for (const r of rows) {
      console.log(
        `${pad(r.case, 44)}${String(r.n).padStart(8)} ${num(r.median)} ${num(r.p10)} ${num(r.p90)} ${num(r.mean)}`,
      );
    }
    const median = (name: string) => rows.find((r) => r.case === name)!.median;
    const gaps = {
      loginKnownMinusUnknownMs:
        median('login: known user, wrong password') - median('login: unknown user'),
      loginKnownMinusUnknownAccountMs:
        median('login: known user, wrong password') - median('login: unknown account'),
      forgotKnownMinusUnknownMs:
        median('forgot: known user with email') - median('forgot: unknown user'),
    };
    console.log(
      `\nmedian gaps (known − unknown): login ${gaps.loginKnownMinusUnknownMs.toFixed(1)} ms, ` +
        `login vs unknown account ${gaps.loginKnownMinusUnknownAccountMs.toFixed(1)} ms, ` +
        `forgot-password ${gaps.forgotKnownMinusUnknownMs.toFixed(1)} ms`,
    );
    console.log(
      JSON.stringify({
        requestsPerCase: N,
        bcryptCost: config.bcryptCost,
        forgotPasswordMinMs: config.forgotPasswordMinMs,
        lockAfter: LOCKOUT.lockAfter,
        medians: Object.fromEntries(rows.map((r) => [r.case, Number(r.median.toFixed(1))])),
        gaps: Object.fromEntries(Object.entries(gaps).map(([k, v]) => [k, Number(v.toFixed(1))])),
      }),
    );
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
