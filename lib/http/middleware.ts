/**
 * The HTTP plumbing every handler shares, as small middy middlewares composed once by
 * `buildHandler()`: request logging, security headers, error mapping, JSON body parsing and
 * strict zod validation. Authenticated routes add ./authorize.ts in between.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import * as z from 'zod/mini';
import type { AccountItem } from '../account-store.js';
import type { CONTRACT } from '../contract.js';
import { isUnavailable, type Prefetched } from '../db.js';
import {
  AppError,
  InvalidJsonError,
  PayloadTooLargeError,
  UnavailableError,
  ValidationFailedError,
} from '../errors.js';
import { logger } from '../logger.js';
import type { RouteRequest } from '../requests.js';
import { ROUTES, type RouteDef, type RouteId } from '../routes.js';
import type { UserItem } from '../user-store.js';

/** The contract's body limit. */
export const MAX_BODY_BYTES = 64 * 1024;

export type Event = APIGatewayProxyEventV2;
export type Result = APIGatewayProxyStructuredResultV2;

/**
 * What a handler answers; the plumbing turns it into an API Gateway result. `body` is sent as
 * JSON, `text` as it is (with the handler's own content-type header).
 */
export type Reply = {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
};

type Out<S, K extends keyof RouteRequest> = S extends { [P in K]: z.ZodMiniType }
  ? z.output<S[K]>
  : undefined;

/** A route's request function (lib/requests.ts), as the contract pairs it with the route. */
export type RequestOf<R extends RouteId> = (typeof CONTRACT)[R]['request'];

/** What a route's handler function is given: its validated input, and the caller. */
export type HandlerFn<R extends RouteId> = (ctx: Ctx<ReturnType<RequestOf<R>>>) => Promise<Reply>;

export type Ctx<S> = {
  body: Out<S, 'body'>;
  query: Out<S, 'query'>;
  params: Out<S, 'params'>;
  /** The caller (authenticated routes only). */
  user: UserItem;
  /** The caller's account, read with the caller for routes that need it. */
  account: AccountItem;
  /** The route's `{id}` item, read with the caller (routes with `readsTarget`). */
  target: Prefetched<Record<string, unknown>> | undefined;
  event: Event;
  requestId: string;
};

export type State = {
  route: RouteDef;
  schemas: RouteRequest;
  body?: unknown;
  parsed?: { body: unknown; query: unknown; params: unknown };
  user?: UserItem;
  account?: AccountItem;
  target?: Prefetched<Record<string, unknown>>;
  startedAt: number;
};

export type Request = middy.Request<Event, Result, Error, Context>;

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
} as const;

/** The request's state lives on its Lambda context, where the base handler can reach it too. */
const STATE = Symbol('httpState');
export const state = (request: Request) => stateOf(request.context);
const stateOf = (context: Context) => (context as unknown as { [STATE]: State })[STATE];

/** One structured line per request: route, status, latency, request id. Never a body. */
function requestLog(): MiddlewareObj<Event, Result> {
  const done = (request: Request) => {
    const s = state(request);
    logger.info('request', {
      route: `${s.route.method} ${s.route.path}`,
      status: request.response?.statusCode,
      latencyMs: Date.now() - s.startedAt,
    });
    logger.resetKeys();
  };
  return {
    before: (request) => {
      logger.addContext(request.context);
      logger.appendKeys({ requestId: request.event.requestContext?.requestId });
    },
    after: (request) => done(request as Request),
    onError: (request) => done(request as Request),
  };
}

/** Security headers on every answer, error or not; the request id for support. */
function securityHeaders(): MiddlewareObj<Event, Result> {
  const apply = (request: Request) => {
    if (!request.response) return;
    request.response.headers = {
      ...JSON_HEADERS,
      'x-request-id': request.event.requestContext?.requestId ?? '',
      ...request.response.headers,
    };
  };
  return { after: apply, onError: apply };
}

/** The one error mapping: domain errors to contract bodies, the rest to a bare 500. */
function errorMapper(): MiddlewareObj<Event, Result> {
  return {
    onError: (request) => {
      let err = request.error;
      if (isUnavailable(err)) {
        logger.warn('database unavailable after retries', { error: errorName(err) });
        err = new UnavailableError();
      }
      if (err instanceof AppError) {
        request.response = json(err.status, {
          error: { code: err.code, message: err.message, ...err.extra },
        });
        request.response.headers = { ...request.response.headers, ...err.headers };
        return;
      }
      logger.error('unhandled error', { error: errorName(err), stack: err?.stack });
      request.response = json(500, { error: { code: 'INTERNAL', message: 'Internal error.' } });
    },
  };
}

function errorName(err: Error | null | undefined) {
  return { name: err?.name, message: err?.message };
}

/** JSON body: at most 64 KiB, valid JSON, an object. */
function jsonBody(): MiddlewareObj<Event, Result> {
  return {
    before: (request) => {
      const { body, isBase64Encoded } = request.event;
      if (body === undefined || body === '') return;
      const raw = isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      if (raw.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
      let value: unknown;
      try {
        value = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new InvalidJsonError();
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidJsonError();
      }
      state(request as Request).body = value;
    },
  };
}

const EMPTY = z.strictObject({});

/** Strict zod validation of body, query and path; every problem listed in `details`. */
function validate(): MiddlewareObj<Event, Result> {
  return {
    before: (request) => {
      const s = state(request as Request);
      const { schemas } = s;
      const parts = {
        body: [schemas.body ?? EMPTY, s.body ?? {}],
        query: [schemas.query ?? EMPTY, request.event.queryStringParameters ?? {}],
        params: [schemas.params ?? EMPTY, request.event.pathParameters ?? {}],
      } as const;
      const details: { path: string; message: string }[] = [];
      const parsed: Record<string, unknown> = {};
      for (const [where, [schema, value]] of Object.entries(parts)) {
        const result = schema.safeParse(value);
        if (result.success) parsed[where] = result.data;
        else {
          for (const issue of result.error.issues) {
            details.push({ path: [where, ...issue.path].join('.'), message: issue.message });
          }
        }
      }
      if (details.length > 0) throw new ValidationFailedError(details);
      s.parsed = parsed as State['parsed'];
    },
  };
}

/** Build a JSON result with the contract's headers. */
export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode: status,
    headers: { ...JSON_HEADERS, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/**
 * Wrap a handler function for the route `routeId`: the route table says who may call it, its
 * request function (lib/requests.ts; the types insist on the route's own) what it accepts. The
 * function receives validated input (and, on authenticated routes, the caller: see
 * ./authorize.ts, which adds itself as `access`).
 */
export function buildHandler<R extends RouteId>(
  routeId: R,
  request: RequestOf<R>,
  fn: HandlerFn<R>,
  access?: MiddlewareObj<Event, Result>,
) {
  const route: RouteDef = ROUTES[routeId];
  if ((route.access === 'public') !== (access === undefined)) {
    // Caught at load (the bundle test imports every function): a route's wrapper must match
    // the route table, or an admin route could be served without its checks.
    throw new Error(`route ${routeId} is ${route.access}: use the matching handler wrapper`);
  }
  const schemas: RouteRequest = request();
  const base = async (event: Event, context: Context): Promise<Result> => {
    const s = stateOf(context);
    const reply = await fn({
      ...(s.parsed as { body: never; query: never; params: never }),
      get user() {
        if (!s.user) throw new Error(`route ${routeId} has no caller`);
        return s.user;
      },
      get account() {
        if (!s.account) throw new Error(`route ${routeId} did not read the account`);
        return s.account;
      },
      target: s.target,
      event,
      requestId: event.requestContext?.requestId ?? '',
    });
    if (reply.text !== undefined) {
      return { statusCode: reply.status, headers: { ...reply.headers }, body: reply.text };
    }
    return reply.body === undefined
      ? { statusCode: reply.status, headers: { ...JSON_HEADERS, ...reply.headers } }
      : json(reply.status, reply.body, reply.headers);
  };
  return middy<Event, Result>(base as never)
    .before((request) => {
      const s: State = { route, schemas, startedAt: Date.now() };
      Object.defineProperty(request.context, STATE, { value: s, configurable: true });
    })
    .use([
      requestLog(),
      securityHeaders(),
      errorMapper(),
      ...(access ? [access] : []),
      jsonBody(),
      validate(),
    ]);
}

/** The handler of a public route: no token, no caller (and no token code in its bundle). */
export function publicHandler<R extends RouteId>(
  routeId: R,
  request: RequestOf<R>,
  fn: HandlerFn<R>,
) {
  return buildHandler(routeId, request, fn);
}
