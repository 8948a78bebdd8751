/**
 * Log hygiene: run representative flows (sign-in, password changes, admin resets, forgot and
 * reset, errors, injected faults) through HTTP with the logger at DEBUG, capture every line
 * written, and fail on any line that holds a password used, a bcrypt hash, an access token or
 * a reset token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../lib/accounts.js';
import { FaultInjector } from '../support/faults.js';
import { type Client, type Res, uniqueSlug, useApi } from '../support/harness.js';
import { latestResetToken } from '../support/inbox.js';
import { BCRYPT_HASH, LogCapture } from '../support/logs.js';

const api = useApi();

let capture: LogCapture | undefined;
let injector: FaultInjector | undefined;
afterEach(() => {
  injector?.restore();
  capture?.stop();
});

describe('log hygiene', () => {
  it('no log line of a run of every flow holds a password, a bcrypt hash, an access token or a reset token', async () => {
    const client: Client = api.client;
    const passwords: string[] = [];
    const tokens: string[] = [];
    const pw = (p: string) => {
      passwords.push(p);
      return p;
    };
    let requests = 0;
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      requests++;
      const res: Res = await client.request(method, path, {
        ...(body === undefined ? {} : { body }),
        ...(token ? { token } : {}),
      });
      if (typeof res.body?.accessToken === 'string') tokens.push(res.body.accessToken);
      return res;
    };

    capture = new LogCapture().start('DEBUG');

    // An account and its admin's first sign-in.
    const slug = uniqueSlug('logs');
    const created = await createAccount({
      slug,
      name: 'Logs Ltd',
      plan: 'cloud-pro',
      adminUsername: 'boss',
      adminEmail: `boss.${slug}@logs.test`,
    });
    const temporary = pw(created.temporaryPassword as string);
    const first = await call('POST', '/v1/auth/login', {
      account: slug,
      username: 'boss',
      password: temporary,
    });
    const changed = await call(
      'POST',
      '/v1/me/password',
      { currentPassword: temporary, newPassword: pw('Boss-own-pass-1') },
      first.body.accessToken,
    );
    const admin = changed.body.accessToken as string;

    // Users: create, weak passwords refused, sign-in, own change, wrong passwords.
    const email = `worker.${slug}@logs.test`;
    const user = await call(
      'POST',
      '/v1/users',
      { username: 'worker', password: pw('Worker-temp-pass-1'), email },
      admin,
    );
    await call('POST', '/v1/users', { username: 'weak', password: pw('password123') }, admin);
    await call('POST', '/v1/users', { username: 'weak', password: pw('weak') }, admin);
    const w1 = await call('POST', '/v1/auth/login', {
      account: slug,
      username: 'worker',
      password: 'Worker-temp-pass-1',
    });
    await call(
      'POST',
      '/v1/me/password',
      { currentPassword: pw('Not-the-current-1'), newPassword: pw('Worker-own-pass-1') },
      w1.body.accessToken,
    );
    const w2 = await call(
      'POST',
      '/v1/me/password',
      { currentPassword: 'Worker-temp-pass-1', newPassword: 'Worker-own-pass-1' },
      w1.body.accessToken,
    );
    for (const wrong of ['Wrong-guess-pass-1', 'Wrong-guess-pass-2']) {
      await call('POST', '/v1/auth/login', {
        account: slug,
        username: 'worker',
        password: pw(wrong),
      });
    }
    await call('POST', '/v1/auth/login', {
      account: 'no-such-account',
      username: 'ghost',
      password: pw('Ghost-pass-123'),
    });
    await call('GET', '/v1/me', undefined, w2.body.accessToken);
    await call('GET', '/v1/account', undefined, w2.body.accessToken);

    // An admin sets a password, renames, lists, reads the audit log.
    await call('PATCH', `/v1/users/${user.body.id}`, { password: pw('Admin-set-pass-1') }, admin);
    await call('PATCH', `/v1/users/${user.body.id}`, { username: 'worker2' }, admin);
    await call('GET', '/v1/users?limit=1', undefined, admin);
    await call('GET', '/v1/audit-log?limit=100', undefined, admin);

    // Forgot and reset, then the reset token used again.
    await call('POST', '/v1/auth/forgot-password', { account: slug, email });
    const resetToken = await latestResetToken(email);
    tokens.push(resetToken);
    await call('GET', `/reset-password?token=${resetToken}`);
    await call('POST', '/v1/auth/reset-password', {
      token: resetToken,
      newPassword: pw('Reset-chosen-pass-1'),
    });
    await call('POST', '/v1/auth/reset-password', {
      token: resetToken,
      newPassword: pw('Reset-again-pass-1'),
    });
    const w3 = await call('POST', '/v1/auth/login', {
      account: slug,
      username: 'worker2',
      password: 'Reset-chosen-pass-1',
    });
    await call('POST', '/v1/auth/logout', undefined, w3.body.accessToken);
    await call('GET', '/v1/me', undefined, w3.body.accessToken); // revoked

    // Bodies the service refuses, with passwords inside.
    requests++;
    await client.request('POST', '/v1/auth/login', {
      raw: `{"account":"${slug}","username":"boss","password":"${pw('Broken-json-pass-1')}"`,
      headers: { 'content-type': 'application/json' },
    });
    requests++;
    await client.request('POST', '/v1/auth/login', {
      body: { account: slug, username: 'boss', password: pw(`Huge-${'p'.repeat(70_000)}`) },
    });
    await call('POST', '/v1/auth/login', {
      account: slug,
      username: 'boss',
      password: pw('Extra-field-pass-1'),
      role: 'admin',
    });

    // Injected faults: DynamoDB stays down on a password write, SES throttles a reset email.
    injector = new FaultInjector({
      rate: 1,
      seed: 1,
      dynamo: ['server'],
      operations: ['TransactWriteItems'],
    }).install();
    const down = await call(
      'PATCH',
      `/v1/users/${user.body.id}`,
      { password: pw('During-outage-pass-1') },
      admin,
    );
    expect(down.status).toBe(503);
    injector.restore();
    injector = new FaultInjector({ rate: 1, seed: 1, dynamo: [], ses: true }).install();
    await call('POST', '/v1/auth/forgot-password', { account: slug, email });
    injector.restore();

    await call('DELETE', `/v1/users/${user.body.id}`, undefined, admin);
    capture.stop();

    // The capture worked: one request line per request at least, warnings and errors too.
    const records = capture.records();
    expect(records.filter((r) => r.message === 'request').length).toBeGreaterThanOrEqual(requests);
    expect(records.some((r) => r.level === 'WARN')).toBe(true);
    expect(records.some((r) => r.level === 'ERROR')).toBe(true);

    const signatures = tokens.filter((t) => t.includes('.')).map((t) => t.split('.')[2] as string);
    const leaks = capture.leaks([...passwords, ...tokens, ...signatures], [BCRYPT_HASH]);
    expect(leaks).toEqual([]);
  }, 60_000);

  it('the checker itself catches a leak: a line with a password, a hash or a token fails', () => {
    capture = new LogCapture().start('DEBUG');
    process.stdout.write('{"message":"oops","password":"Leaked-pass-1"}\n');
    console.error('hash $2b$10$abcdefghijklmnopqrstuv');
    console.log({ token: 'eyJhbGciOi.payload.signature-part' });
    capture.stop();
    const leaks = capture.leaks(['Leaked-pass-1', 'signature-part'], [BCRYPT_HASH]);
    expect(leaks.map((l) => l.secret)).toEqual([
      'Leak…(13 chars)',
      `${BCRYPT_HASH} ($2b$…(7 chars))`,
      'sign…(14 chars)',
    ]);
  });
});
