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

/** Turn a Node request (already read) into an API Gateway HTTP API v2 event. */
export function toEvent(
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
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    // API Gateway joins repeated parameters with commas.
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const contentType = headers['content-type'] ?? '';
  const textual = contentType === '' || /json|text|x-www-form-urlencoded/.test(contentType);
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(route.params.length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length
      ? {
          body: textual ? body.toString('utf8') : body.toString('base64'),
          isBase64Encoded: !textual,
        }
      : { isBase64Encoded: false }),
  };
}

/** A Lambda context for a local invocation of function `id`. */
export function lambdaContext(id: string, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: id,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${id}`,
    memoryLimitInMB: '1024',
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
