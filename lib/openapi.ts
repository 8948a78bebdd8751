/**
 * The OpenAPI 3.1 document, generated from the route table and the contract's zod schemas
 * (the same objects that validate requests), so it cannot drift from the code.
 */

import * as z from 'zod/mini';
import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import { CONTRACT, type RouteContract } from './contract.js';
import { ERROR_STATUS, type ErrorCode } from './errors.js';
import { type RouteDef, type RouteId, routeList } from './routes.js';

const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
      limit: z.optional(z.int()),
      retryAfter: z.optional(z.int()),
    }),
  })
  .check(z.meta({ id: 'Error' }));

/** Error codes every route of its kind can answer, derived from the route table. */
export function errorCodesOf(id: RouteId): ErrorCode[] {
  const route: RouteDef = routeList().find((r) => r.id === id) as RouteDef;
  const contract: RouteContract = CONTRACT[id];
  // Every route parses a body if one is sent and validates body, query and path strictly.
  const codes = new Set<ErrorCode>([
    ...contract.errors,
    'VALIDATION_FAILED',
    'INVALID_JSON',
    'PAYLOAD_TOO_LARGE',
  ]);
  if (route.access !== 'public') {
    codes.add('UNAUTHENTICATED');
    if (!route.duringPasswordChange) codes.add('PASSWORD_CHANGE_REQUIRED');
  }
  if (route.access === 'admin') codes.add('ADMIN_REQUIRED');
  if (route.feature) codes.add('FEATURE_NOT_IN_PLAN');
  if (route.grants.db.length > 0) codes.add('UNAVAILABLE');
  codes.add('INTERNAL');
  return [...codes];
}

function operation(route: RouteDef & { id: RouteId }): ZodOpenApiOperationObject {
  const contract: RouteContract = CONTRACT[route.id];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route.id)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const { status, body, html } = contract.success;
  const request = contract.request();
  const responses: ZodOpenApiOperationObject['responses'] = {
    [status]: {
      description: html ? 'HTML page' : status === 204 ? 'Done' : 'Success',
      ...(body ? { content: { 'application/json': { schema: body } } } : {}),
      ...(html ? { content: { 'text/html': { schema: z.string() } } } : {}),
    },
  };
  for (const [errStatus, codes] of byStatus) {
    responses[String(errStatus) as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: codes.join(', '),
      content: { 'application/json': { schema: ErrorBody } },
      'x-error-codes': codes,
    } as never;
  }
  return {
    operationId: route.id,
    summary: contract.summary,
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(route.access === 'admin' ? { description: 'Admins only.' } : {}),
    ...(request.query || request.params
      ? {
          requestParams: {
            ...(request.query ? { query: request.query as z.ZodMiniObject } : {}),
            ...(request.params ? { path: request.params as z.ZodMiniObject } : {}),
          },
        }
      : {}),
    ...(request.body
      ? { requestBody: { content: { 'application/json': { schema: request.body } } } }
      : {}),
    responses,
  };
}

/** Build the document for every route of the route table. */
export function openApiDocument() {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const route of routeList()) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, ZodOpenApiOperationObject>)[route.method.toLowerCase()] =
      operation(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Capptro user management',
      version: '1.0.0',
      description: 'Accounts, users, sessions, password resets and employees. See API.md.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  });
}

/** The document as openapi.json holds it. */
export function serialise(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
