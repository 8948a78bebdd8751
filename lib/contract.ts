/**
 * The HTTP contract in code: for every route of the route table, what it accepts (its
 * function in lib/requests.ts, the very schemas the middleware validates with), the success it
 * answers and the error codes it documents. lib/openapi.ts generates the OpenAPI document from
 * this and nothing else, so it cannot drift from what the handlers accept. Only the document's
 * generator imports this module: no function builds these response schemas at run time.
 */
import * as z from 'zod/mini';
import type { ErrorCode } from './errors.js';
import type { RouteRequest } from './requests.js';
import * as requests from './requests.js';
import type { RouteId } from './routes.js';

const timestamp = z.iso.datetime().check(z.meta({ description: 'ISO-8601 UTC' }));

const User = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.nullable(z.string()),
    admin: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .check(z.meta({ id: 'User' }));

const AccountSummary = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), plan: z.string() })
  .check(z.meta({ id: 'AccountSummary' }));

const Session = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int().check(z.meta({ description: 'Seconds' })),
    user: User,
  })
  .check(z.meta({ id: 'Session' }));

const Employee = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.nullable(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .check(z.meta({ id: 'Employee' }));

const AuditEvent = z
  .object({
    id: z.string(),
    at: timestamp,
    actor: z.object({ id: z.string(), username: z.string() }),
    action: z.enum([
      'user.created',
      'user.updated',
      'user.deleted',
      'user.password_changed',
      'user.password_reset',
      'employee.created',
      'employee.updated',
      'employee.deleted',
    ]),
    target: z.object({ type: z.enum(['user', 'employee']), id: z.string(), name: z.string() }),
    changes: z.record(z.string(), z.unknown()),
  })
  .check(z.meta({ id: 'AuditEvent' }));

const list = (item: z.ZodMiniType, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) }).check(z.meta({ id }));

export type RouteContract = {
  readonly summary: string;
  /** The route's function in lib/requests.ts. */
  readonly request: () => RouteRequest;
  /** Success status and body (none for 204; `html` for a page). */
  readonly success: { status: number; body?: z.ZodMiniType; html?: true };
  /** Route-specific error codes; the common ones are derived from the route table. */
  readonly errors: readonly ErrorCode[];
};

export const CONTRACT = {
  login: {
    summary: 'Sign in',
    request: requests.login,
    success: { status: 200, body: Session },
    errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'],
  },
  logout: {
    summary: 'Sign out everywhere',
    request: requests.none,
    success: { status: 204 },
    errors: [],
  },
  me: {
    summary: 'The caller and their account',
    request: requests.none,
    success: { status: 200, body: z.object({ user: User, account: AccountSummary }) },
    errors: [],
  },
  'me-password': {
    summary: 'Change the caller’s password',
    request: requests.mePassword,
    success: { status: 200, body: Session },
    errors: ['INVALID_CREDENTIALS', 'WEAK_PASSWORD', 'PASSWORD_REUSED'],
  },
  account: {
    summary: 'The caller’s account, plan and usage',
    request: requests.none,
    success: {
      status: 200,
      body: z.object({
        id: z.string(),
        slug: z.string(),
        name: z.string(),
        plan: z.string(),
        userLimit: z.nullable(z.int()),
        userCount: z.int(),
        features: z.object({ employees: z.boolean() }),
      }),
    },
    errors: [],
  },
  'users-list': {
    summary: 'List users by username',
    request: requests.usersList,
    success: { status: 200, body: list(User, 'UserList') },
    errors: ['INVALID_CURSOR'],
  },
  'users-create': {
    summary: 'Add a user',
    request: requests.usersCreate,
    success: { status: 201, body: User },
    errors: ['USERNAME_TAKEN', 'EMAIL_TAKEN', 'USER_LIMIT_REACHED', 'WEAK_PASSWORD'],
  },
  'users-get': {
    summary: 'Read a user',
    request: requests.byId,
    success: { status: 200, body: User },
    errors: ['USER_NOT_FOUND'],
  },
  'users-update': {
    summary: 'Edit a user',
    request: requests.usersUpdate,
    success: { status: 200, body: User },
    errors: ['USER_NOT_FOUND', 'USERNAME_TAKEN', 'EMAIL_TAKEN', 'LAST_ADMIN', 'WEAK_PASSWORD'],
  },
  'users-delete': {
    summary: 'Delete a user for good',
    request: requests.byId,
    success: { status: 204 },
    errors: ['USER_NOT_FOUND', 'LAST_ADMIN', 'CANNOT_DELETE_SELF'],
  },
  'audit-log': {
    summary: 'The account’s audit log, newest first',
    request: requests.page,
    success: { status: 200, body: list(AuditEvent, 'AuditEventList') },
    errors: ['INVALID_CURSOR'],
  },
  'forgot-password': {
    summary: 'Email a password reset link',
    request: requests.forgotPassword,
    success: { status: 202, body: z.object({}) },
    errors: [],
  },
  'reset-password': {
    summary: 'Set a new password with a reset link’s token',
    request: requests.resetPassword,
    success: { status: 204 },
    errors: ['INVALID_RESET_TOKEN', 'WEAK_PASSWORD'],
  },
  'reset-page': {
    summary: 'The page the reset email links to',
    request: requests.resetPage,
    success: { status: 200, html: true },
    errors: [],
  },
  'employees-list': {
    summary: 'List employees by name',
    request: requests.page,
    success: { status: 200, body: list(Employee, 'EmployeeList') },
    errors: ['INVALID_CURSOR'],
  },
  'employees-create': {
    summary: 'Add an employee',
    request: requests.employeesCreate,
    success: { status: 201, body: Employee },
    errors: [],
  },
  'employees-update': {
    summary: 'Edit an employee',
    request: requests.employeesUpdate,
    success: { status: 200, body: Employee },
    errors: ['EMPLOYEE_NOT_FOUND'],
  },
  'employees-delete': {
    summary: 'Remove an employee',
    request: requests.byId,
    success: { status: 204 },
    errors: ['EMPLOYEE_NOT_FOUND'],
  },
  openapi: {
    summary: 'This API’s OpenAPI 3.1 document',
    request: requests.none,
    success: { status: 200, body: z.record(z.string(), z.unknown()) },
    errors: [],
  },
} as const satisfies Record<RouteId, RouteContract>;
