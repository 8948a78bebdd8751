/**
 * Serves the route table on node:http the way API Gateway HTTP API does: each request becomes
 * a payload-v2 event for the route's handler, and the handler's result becomes the response.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type RouteId, routeList } from '../../lib/routes.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** API Gateway refuses bodies over 10 MB; locally we stop reading well before that. */
const MAX_READ_BYTES = 1024 * 1024;

type Compiled = { id: RouteId; method: string; path: string; pattern: RegExp; params: string[] };

function compile(): Compiled[] {
  return routeList().map((r) => {
    const params: string[] = [];
    const source = r.path
      .split('/')
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (!m?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        params.push(m[1]);
        return '([^/]+)';
      })
      .join('/');
    return { id: r.id, method: r.method, path: r.path, pattern: new RegExp(`^${source}$`), params };
  });
}

/** Load a handler module the way Lambda would: functions/<id>.ts, export `handler`. */
async function loadHandler(id: RouteId): Promise<Handler> {
  const mod = (await import(`../../functions/${id}.ts`)) as { handler: Handler };
  return mod.handler;
}

/** A request as API Gateway sees it, before it becomes an event. */
export type ApiRequest = {
  route: { method: string; path: string };
  /** The path as sent, e.g. `/v1/users/abc`. */
  rawPath: string;
  /** The query string without `?`. */
  rawQueryString?: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Values of the route's `{param}` segments, decoded. */
  pathParameters?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  sourceIp?: string;
};

/**
 * The API Gateway HTTP API (payload v2) event of a request: the one builder the local
 * adapter, the direct invoker of the reliability tests and the bench all use.
 */
export function apiEvent(r: ApiRequest): APIGatewayProxyEventV2 {
  const rawQueryString = r.rawQueryString ?? '';
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    // API Gateway joins repeated parameters with commas.
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const now = new Date();
  const routeKey = `${r.route.method} ${r.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: r.rawPath,
    rawQueryString,
    headers: r.headers,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    ...(r.route.path.includes('{') ? { pathParameters: r.pathParameters ?? {} } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: r.headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: r.route.method,
        path: r.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: r.sourceIp ?? '127.0.0.1',
        userAgent: r.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(r.body ? { body: r.body } : {}),
    isBase64Encoded: Boolean(r.body) && (r.isBase64Encoded ?? false),
  };
}

/** Turn a Node request (already read) into the event of its route. */
function toEvent(
  req: IncomingMessage,
  url: URL,
  route: Compiled,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway passes text bodies as they are and base64-encodes the rest.
  const contentType = headers['content-type'] ?? '';
  const textual = contentType === '' || /json|text|x-www-form-urlencoded/.test(contentType);
  return apiEvent({
    route,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    pathParameters,
    body: textual ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !textual,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  });
}

/** A Lambda context for a local invocation of function `id`. */
export function lambdaContext(id: string, requestId: string, memoryMb = 1024): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: id,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${id}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_READ_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  const body = result.body
    ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
    : undefined;
  res.writeHead(result.statusCode ?? 200, {
    ...(result.headers as Record<string, string>),
    ...(result.cookies?.length ? { 'set-cookie': result.cookies } : {}),
  });
  res.end(body);
}

/** Start a server for every route of the route table; port 0 picks a free one. */
export async function startApi(
  port: number,
  host = '127.0.0.1',
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const routes = compile();
  const handlers = new Map<RouteId, Promise<Handler>>();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let match: { route: Compiled; params: Record<string, string> } | undefined;
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const m = route.pattern.exec(url.pathname);
        if (!m) continue;
        const params = Object.fromEntries(
          route.params.map((name, i) => [name, decodeURIComponent(m[i + 1] ?? '')]),
        );
        match = { route, params };
        break;
      }
      if (!match) {
        // What API Gateway answers for a path or method with no route.
        send(res, { statusCode: 404, body: '{"message":"Not Found"}' });
        return;
      }
      const body = await readBody(req);
      if (!body) {
        send(res, { statusCode: 413, body: '{"message":"Request Entity Too Large"}' });
        return;
      }
      const event = toEvent(req, url, match.route, match.params, body);
      const { id } = match.route;
      if (!handlers.has(id)) handlers.set(id, loadHandler(id));
      const handler = await (handlers.get(id) as Promise<Handler>);
      const result = (await handler(
        event,
        lambdaContext(id, event.requestContext.requestId),
      )) as APIGatewayProxyStructuredResultV2;
      send(res, result);
    } catch (err) {
      // A handler that throws past its middleware is a Lambda failure: API Gateway says 500.
      console.error('local adapter: handler failed', (err as Error).name);
      if (!res.headersSent)
        send(res, { statusCode: 500, body: '{"message":"Internal Server Error"}' });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
