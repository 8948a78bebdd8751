/**
 * Calls a route's Lambda handler directly with the API Gateway v2 event the local adapter
 * (./adapter.ts) builds, but without a socket. The reliability tests send thousands of hostile
 * or faulted requests this way, each in the caller's async context (where the fault middleware
 * counts attempts per request), and the bench times handlers with nothing else in the way.
 */
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { ROUTES, type RouteId } from '../../lib/routes.js';
import { apiEvent, lambdaContext } from './adapter.js';

export type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const handlers = new Map<string, Promise<Handler>>();

/** The handler of functions/<id>.ts, loaded once, as a warm Lambda keeps it. */
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

export type Answer = {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body (the text itself when it is not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: callers read answers as loosely as JSON is.
  body: any;
  text: string;
};

/** Build the v2 event API Gateway would send for this call. */
export function eventFor(id: RouteId | string, call: Call = {}): APIGatewayProxyEventV2 {
  const route = (ROUTES as Record<string, { method: string; path: string }>)[id];
  if (!route) throw new Error(`no route ${id}`);
  const headers: Record<string, string> = { host: 'localhost', ...call.headers };
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
  let result: APIGatewayProxyStructuredResultV2;
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
  const text = result.body ?? '';
  let body: Answer['body'] = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (the reset page): keep the text
  }
  const headers = (result.headers ?? {}) as Record<string, string>;
  return { status: result.statusCode ?? 200, headers, body, text };
}

/**
 * A new user's first step: sign in with the temporary password, then choose `next`. Answers
 * the token the password change issues; throws with the answer if either step fails.
 */
export async function activate(
  slug: string,
  username: string,
  temporary: string,
  next: string,
): Promise<string> {
  const login = await invoke('login', { body: { account: slug, username, password: temporary } });
  const changed =
    login.status === 200
      ? await invoke('me-password', {
          token: login.body.accessToken,
          body: { currentPassword: temporary, newPassword: next },
        })
      : login;
  if (changed.status !== 200) {
    throw new Error(`activating ${username}: ${changed.status} ${changed.text}`);
  }
  return changed.body.accessToken as string;
}
