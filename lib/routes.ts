/**
 * The route table: the single source of truth for every HTTP route. The CDK stack builds one
 * API Gateway route and one Lambda per entry from it; the local stack serves the same entries
 * through its adapter. Each entry also says who may call it and what its function may touch,
 * which the stack turns into least-privilege grants.
 */

import type { IndexName } from './keys.js';
import type { Feature } from './plans.js';

/** Who may call a route. `user` and `admin` need a valid token. */
export type Access = 'public' | 'user' | 'admin';

/** DynamoDB actions a handler may use. Transactions are authorised per item action. */
export type DbAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

export type RouteDef = {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly access: Access;
  /** Allowed while the caller must still change their password (the contract's four). */
  readonly duringPasswordChange?: boolean;
  /** The handler needs the caller's account; it is read together with the caller. */
  readonly readsAccount?: boolean;
  /**
   * The `{id}` of the path names an item of the caller's account that the handler reads; it
   * is read together with the caller, so a read-then-write route makes two requests, not three.
   */
  readonly readsTarget?: 'user' | 'employee';
  /** The plan feature the route needs (403 FEATURE_NOT_IN_PLAN without it). */
  readonly feature?: Feature;
  /** What the function may do; the CDK stack grants exactly this. */
  readonly grants: {
    readonly db: readonly DbAction[];
    readonly indexes?: readonly IndexName[];
    readonly email?: boolean;
    /** Reads the token signing key (every authenticated route does, and login). */
    readonly signingKey?: boolean;
  };
  /** Lambda memory (MB); bcrypt routes get more, since Lambda CPU scales with memory. */
  readonly memoryMb?: number;
  /**
   * Sets new passwords, so checks them against lib/common-passwords.txt, which ships beside
   * the function's bundle (infra/bundling.ts).
   */
  readonly setsPasswords?: true;
};

const READ = ['GetItem'] as const;
/** bcrypt at cost 11 is CPU bound: 1769 MB is one full vCPU. */
const BCRYPT_MEMORY = 1769;

export const ROUTES = {
  login: {
    method: 'POST',
    path: '/v1/auth/login',
    access: 'public',
    grants: {
      db: ['BatchGetItem', 'Query', 'UpdateItem', 'PutItem', 'DeleteItem'],
      indexes: ['byName'],
      signingKey: true,
    },
    memoryMb: BCRYPT_MEMORY,
  },
  logout: {
    method: 'POST',
    path: '/v1/auth/logout',
    access: 'user',
    duringPasswordChange: true,
    grants: { db: [...READ, 'UpdateItem'] },
  },
  me: {
    method: 'GET',
    path: '/v1/me',
    access: 'user',
    duringPasswordChange: true,
    readsAccount: true,
    grants: { db: ['BatchGetItem'] },
  },
  'me-password': {
    method: 'POST',
    path: '/v1/me/password',
    access: 'user',
    duringPasswordChange: true,
    grants: { db: [...READ, 'UpdateItem', 'PutItem'] },
    memoryMb: BCRYPT_MEMORY,
    setsPasswords: true,
  },
  account: {
    method: 'GET',
    path: '/v1/account',
    access: 'user',
    duringPasswordChange: true,
    readsAccount: true,
    grants: { db: ['BatchGetItem'] },
  },
  'users-list': {
    method: 'GET',
    path: '/v1/users',
    access: 'admin',
    grants: { db: [...READ, 'Query'], indexes: ['byName'] },
  },
  'users-create': {
    method: 'POST',
    path: '/v1/users',
    access: 'admin',
    grants: { db: [...READ, 'PutItem', 'UpdateItem'] },
    memoryMb: BCRYPT_MEMORY,
    setsPasswords: true,
  },
  'users-get': {
    method: 'GET',
    path: '/v1/users/{id}',
    readsTarget: 'user',
    access: 'admin',
    grants: { db: ['BatchGetItem'] },
  },
  'users-update': {
    method: 'PATCH',
    path: '/v1/users/{id}',
    readsTarget: 'user',
    access: 'admin',
    grants: { db: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
    memoryMb: BCRYPT_MEMORY,
    setsPasswords: true,
  },
  'users-delete': {
    method: 'DELETE',
    path: '/v1/users/{id}',
    readsTarget: 'user',
    access: 'admin',
    grants: { db: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  },
  'audit-log': {
    method: 'GET',
    path: '/v1/audit-log',
    access: 'admin',
    grants: { db: [...READ, 'Query'] },
  },
  'forgot-password': {
    method: 'POST',
    path: '/v1/auth/forgot-password',
    access: 'public',
    grants: {
      db: ['GetItem', 'Query', 'PutItem', 'ConditionCheckItem'],
      indexes: ['byName'],
      email: true,
    },
  },
  'reset-password': {
    method: 'POST',
    path: '/v1/auth/reset-password',
    access: 'public',
    grants: {
      db: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
      indexes: ['byResetToken'],
    },
    memoryMb: BCRYPT_MEMORY,
    setsPasswords: true,
  },
  'reset-page': {
    method: 'GET',
    path: '/reset-password',
    access: 'public',
    grants: { db: [] },
  },
  'employees-list': {
    method: 'GET',
    path: '/v1/employees',
    access: 'user',
    feature: 'employees',
    grants: { db: ['BatchGetItem', 'Query'], indexes: ['byName'] },
  },
  'employees-create': {
    method: 'POST',
    path: '/v1/employees',
    access: 'admin',
    feature: 'employees',
    grants: { db: ['BatchGetItem', 'PutItem'] },
  },
  'employees-update': {
    method: 'PATCH',
    path: '/v1/employees/{id}',
    readsTarget: 'employee',
    access: 'admin',
    feature: 'employees',
    grants: { db: ['BatchGetItem', 'GetItem', 'PutItem'] },
  },
  'employees-delete': {
    method: 'DELETE',
    path: '/v1/employees/{id}',
    readsTarget: 'employee',
    access: 'admin',
    feature: 'employees',
    grants: { db: ['BatchGetItem', 'GetItem', 'DeleteItem', 'PutItem'] },
  },
  openapi: {
    method: 'GET',
    path: '/v1/openapi.json',
    access: 'public',
    grants: { db: [] },
  },
} as const satisfies Record<string, RouteDef>;

export type RouteId = keyof typeof ROUTES;

/** Every route with its id (the handler's file name under functions/). */
export function routeList(): (RouteDef & { id: RouteId })[] {
  return Object.entries(ROUTES).map(([id, def]) => ({ ...(def as RouteDef), id: id as RouteId }));
}

/** Scheduled jobs: not routes, but built by the stack the same way. */
export const JOBS = {
  cleanup: {
    /** EventBridge schedule expression. */
    schedule: 'rate(1 hour)',
    grants: { db: ['Query', 'DeleteItem'], indexes: ['byExpiry'] },
  },
} as const satisfies Record<string, { schedule: string; grants: RouteDef['grants'] }>;

export type JobId = keyof typeof JOBS;

/** Whether a route's function needs the signing key: authenticated routes always do. */
export function needsSigningKey(route: RouteDef): boolean {
  return route.access !== 'public' || route.grants.signingKey === true;
}
