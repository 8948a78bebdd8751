/**
 * Test helpers: an API served by the local adapter on a free port (real HTTP, real handlers,
 * DynamoDB Local behind them), unique accounts per test, and a small HTTP client.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { startApi } from '../../infra/local/adapter.js';
import { createAccount } from '../../lib/accounts.js';
import type { PlanId } from '../../lib/plans.js';

export type Res<T = any> = { status: number; body: T; headers: Headers };

/** A minimal JSON client for the API under test. */
export class Client {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Res<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (HTML page): keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = (path: string, token?: string) => this.request('GET', path, { token });
  post = (path: string, body?: unknown, token?: string) =>
    this.request('POST', path, { body, token });
  patch = (path: string, body: unknown, token?: string) =>
    this.request('PATCH', path, { body, token });
  delete = (path: string, token?: string) => this.request('DELETE', path, { token });

  /** Sign in; answers the token (fails the test on anything but 200). */
  async login(account: string, username: string, password: string): Promise<string> {
    const res = await this.post('/v1/auth/login', { account, username, password });
    if (res.status !== 200)
      throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken;
  }

  /** Sign in with a temporary password and choose `next`; answers the new token. */
  async activate(account: string, username: string, temporary: string, next: string) {
    const token = await this.login(account, username, temporary);
    const res = await this.post(
      '/v1/me/password',
      { currentPassword: temporary, newPassword: next },
      token,
    );
    if (res.status !== 200) throw new Error(`activate failed: ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  }
}

/** Serve the route table for this test file; answers a client once started. */
export function useApi(): { client: Client } {
  const holder = {} as { client: Client };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const api = await startApi(0);
    close = api.close;
    holder.client = new Client(api.url);
  });
  afterAll(async () => {
    await close?.();
  });
  return holder;
}

/** A slug no other test uses. */
export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export const ADMIN_PASSWORD = 'Admin-pass-8421';

/**
 * A fresh account whose admin has already chosen a password: answers its slug, ids and an
 * admin token.
 */
export async function newAccount(client: Client, plan: PlanId = 'cloud-pro') {
  const slug = uniqueSlug();
  const created = await createAccount({ slug, name: `Test ${slug}`, plan, adminUsername: 'admin' });
  const token = await client.activate(
    slug,
    'admin',
    created.temporaryPassword as string,
    ADMIN_PASSWORD,
  );
  return { slug, accountId: created.account.id, adminId: created.admin.id, token };
}

/** Create a user through the API and activate them; answers id and token. */
export async function newUser(
  client: Client,
  acct: { slug: string; token: string },
  username: string,
  opts: { admin?: boolean; email?: string } = {},
) {
  const temporary = `Temp-${randomBytes(6).toString('hex')}`;
  const res = await client.post(
    '/v1/users',
    { username, password: temporary, ...opts },
    acct.token,
  );
  if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
  const password = `Own-${randomBytes(6).toString('hex')}`;
  const token = await client.activate(acct.slug, username, temporary, password);
  return { id: res.body.id as string, token, password };
}
