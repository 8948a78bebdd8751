/**
 * Calls a route's Lambda handler directly with an API Gateway v2 event, the way the local
 * adapter does (infra/local/adapter.ts `toEvent`) but without a socket: thousands of hostile
 * or faulted requests stay cheap, and each runs in the caller's async context (the fault
 * middleware counts attempts per request through that).
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiEvent, lambdaContext } from '../../infra/local/adapter.js';
import { createAccount } from '../../lib/accounts.js';
import type { PlanId } from '../../lib/plans.js';
import { ROUTES, type RouteId } from '../../lib/routes.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<any>;

const handlers = new Map<string, Promise<Handler>>();

/** The handler of a route, loaded once like a warm Lambda. */
export function handlerOf(id: RouteId | string): Promise<Handler> {
  let h = handlers.get(id);
  if (!h) {
    h = import(`../../functions/${id}.ts`).then((m: { handler: Handler }) => m.handler);
    handlers.set(id, h);
  }
  return h;
}

export type Call = {
  /** Values for the route's `{param}` segments (API Gateway sends them decoded). */
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  token?: string;
  /** A value to send as JSON, or `raw` text as it is. */
  body?: unknown;
  raw?: string;
  isBase64Encoded?: boolean;
  /** Path as the client typed it (defaults to the route's path with params filled in). */
  rawPath?: string;
};

export type Answer = { status: number; headers: Record<string, string>; body: any; text: string };

/** Build the v2 event API Gateway would send for this call. */
export function eventFor(id: RouteId | string, call: Call = {}): APIGatewayProxyEventV2 {
  const route = (ROUTES as Record<string, { method: string; path: string }>)[id];
  if (!route) throw new Error(`no route ${id}`);
  const headers: Record<string, string> = { host: 'api.test', ...call.headers };
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  let body = call.raw;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['content-type'] ??= 'application/json';
  }
  const path =
    call.rawPath ??
    route.path.replace(/\{(\w+)\}/g, (_, name) => pathSegment(call.params?.[name] ?? ''));
  return apiEvent({
    route,
    rawPath: path,
    rawQueryString: call.query ? new URLSearchParams(call.query).toString() : '',
    headers,
    pathParameters: call.params ?? {},
    body,
    isBase64Encoded: call.isBase64Encoded ?? false,
  });
}

/** A path segment as a client would send it; lone surrogates cannot be encoded, so go raw. */
function pathSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Invoke a route's handler. A handler that throws past its middleware is what API Gateway
 * shows as a 500, so it answers 500 here too (and the tests treat it as one).
 */
export async function invoke(id: RouteId | string, call: Call = {}): Promise<Answer> {
  const event = eventFor(id, call);
  let result: any;
  try {
    result = await (await handlerOf(id))(event, lambdaContext(id, event.requestContext.requestId));
  } catch (err) {
    return {
      status: 500,
      headers: {},
      body: { thrown: (err as Error).name },
      text: String((err as Error).name),
    };
  }
  const text: string = result?.body ?? '';
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (the reset page): keep the text
  }
  return { status: result?.statusCode ?? 200, headers: result?.headers ?? {}, body, text };
}

/** The admin password of accounts made by directAccount(). */
export const ADMIN_PASSWORD = 'Admin-pass-8421';

/** A fresh account whose admin has chosen a password, set up through the handlers. */
export async function directAccount(plan: PlanId = 'cloud-pro', prefix = 'rl') {
  const slug = `${prefix}-${randomBytes(6).toString('hex')}`;
  const created = await createAccount({ slug, name: `Test ${slug}`, plan, adminUsername: 'admin' });
  const temporary = created.temporaryPassword as string;
  const login = await invoke('login', {
    body: { account: slug, username: 'admin', password: temporary },
  });
  const changed = await invoke('me-password', {
    token: login.body.accessToken,
    body: { currentPassword: temporary, newPassword: ADMIN_PASSWORD },
  });
  if (changed.status !== 200) throw new Error(`activate failed: ${changed.text}`);
  return {
    slug,
    accountId: created.account.id,
    adminId: created.admin.id,
    token: changed.body.accessToken as string,
    password: ADMIN_PASSWORD,
  };
}
