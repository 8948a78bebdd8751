/**
 * The HTTP contract in code: for every route of the route table, the zod schemas that
 * validate its requests (the middleware reads them from here), the success it answers and
 * the error codes it documents. The OpenAPI document is generated from this and nothing else,
 * so it cannot drift from what the handlers accept.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.js';
import type { RouteId } from './routes.js';
import { email, idParams, listQuery, password, username } from './schemas.js';

const account = z.string().min(1).max(64).meta({ description: 'The account slug' });
const timestamp = z.iso.datetime().meta({ description: 'ISO-8601 UTC' });
const employeeName = z.string().trim().min(1).max(100);

export const User = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    admin: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'User' });

const AccountSummary = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), plan: z.string() })
  .meta({ id: 'AccountSummary' });

const Session = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds' }),
    user: User,
  })
  .meta({ id: 'Session' });

const Employee = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Employee' });

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
  .meta({ id: 'AuditEvent' });

const list = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

export type RouteContract = {
  readonly summary: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly params?: z.ZodType;
  /** Success status and body (none for 204; `html` for a page). */
  readonly success: { status: number; body?: z.ZodType; html?: true };
  /** Route-specific error codes; the common ones are derived from the route table. */
  readonly errors: readonly ErrorCode[];
};

const userPatch = z
  .strictObject({
    username: username.optional(),
    password: password.optional(),
    admin: z.boolean().optional(),
    email: email.nullable().optional(),
  })
  .refine(
    (b) => Object.keys(b).length > 0,
    'Give at least one of username, password, admin, email',
  );

const employeePatch = z
  .strictObject({ name: employeeName.optional(), email: email.nullable().optional() })
  .refine((b) => Object.keys(b).length > 0, 'Give at least one of name, email');

export const CONTRACT = {
  login: {
    summary: 'Sign in',
    body: z.strictObject({ account, username: z.string().min(1).max(64), password }),
    success: { status: 200, body: Session },
    errors: ['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'],
  },
  logout: {
    summary: 'Sign out everywhere',
    success: { status: 204 },
    errors: [],
  },
  me: {
    summary: 'The caller and their account',
    success: { status: 200, body: z.object({ user: User, account: AccountSummary }) },
    errors: [],
  },
  'me-password': {
    summary: 'Change the caller’s password',
    body: z.strictObject({ currentPassword: password, newPassword: password }),
    success: { status: 200, body: Session },
    errors: ['INVALID_CREDENTIALS', 'WEAK_PASSWORD', 'PASSWORD_REUSED'],
  },
  account: {
    summary: 'The caller’s account, plan and usage',
    success: {
      status: 200,
      body: z.object({
        id: z.string(),
        slug: z.string(),
        name: z.string(),
        plan: z.string(),
        userLimit: z.number().int().nullable(),
        userCount: z.number().int(),
        features: z.object({ employees: z.boolean() }),
      }),
    },
    errors: [],
  },
  'users-list': {
    summary: 'List users by username',
    query: listQuery.extend({
      q: z
        .string()
        .max(64)
        .regex(/^[A-Za-z0-9._@-]*$/, 'Use letters, digits or . _ - @')
        .optional()
        .meta({ description: 'Username prefix, case-insensitive' }),
    }),
    success: { status: 200, body: list(User, 'UserList') },
    errors: ['INVALID_CURSOR'],
  },
  'users-create': {
    summary: 'Add a user',
    body: z.strictObject({
      username,
      password,
      admin: z.boolean().default(false),
      email: email.optional(),
    }),
    success: { status: 201, body: User },
    errors: ['USERNAME_TAKEN', 'EMAIL_TAKEN', 'USER_LIMIT_REACHED', 'WEAK_PASSWORD'],
  },
  'users-get': {
    summary: 'Read a user',
    params: idParams,
    success: { status: 200, body: User },
    errors: ['USER_NOT_FOUND'],
  },
  'users-update': {
    summary: 'Edit a user',
    params: idParams,
    body: userPatch,
    success: { status: 200, body: User },
    errors: ['USER_NOT_FOUND', 'USERNAME_TAKEN', 'EMAIL_TAKEN', 'LAST_ADMIN', 'WEAK_PASSWORD'],
  },
  'users-delete': {
    summary: 'Delete a user for good',
    params: idParams,
    success: { status: 204 },
    errors: ['USER_NOT_FOUND', 'LAST_ADMIN', 'CANNOT_DELETE_SELF'],
  },
  'audit-log': {
    summary: 'The account’s audit log, newest first',
    query: listQuery,
    success: { status: 200, body: list(AuditEvent, 'AuditEventList') },
    errors: ['INVALID_CURSOR'],
  },
  'forgot-password': {
    summary: 'Email a password reset link',
    body: z.union([z.strictObject({ account, username }), z.strictObject({ account, email })]),
    success: { status: 202, body: z.object({}) },
    errors: [],
  },
  'reset-password': {
    summary: 'Set a new password with a reset link’s token',
    body: z.strictObject({ token: z.string().min(1).max(256), newPassword: password }),
    success: { status: 204 },
    errors: ['INVALID_RESET_TOKEN', 'WEAK_PASSWORD'],
  },
  'reset-page': {
    summary: 'The page the reset email links to',
    // Loose on purpose: mail clients and link trackers add parameters of their own.
    query: z.object({ token: z.string().max(256).optional() }),
    success: { status: 200, html: true },
    errors: [],
  },
  'employees-list': {
    summary: 'List employees by name',
    query: listQuery,
    success: { status: 200, body: list(Employee, 'EmployeeList') },
    errors: ['INVALID_CURSOR'],
  },
  'employees-create': {
    summary: 'Add an employee',
    body: z.strictObject({ name: employeeName, email: email.optional() }),
    success: { status: 201, body: Employee },
    errors: [],
  },
  'employees-update': {
    summary: 'Edit an employee',
    params: idParams,
    body: employeePatch,
    success: { status: 200, body: Employee },
    errors: ['EMPLOYEE_NOT_FOUND'],
  },
  'employees-delete': {
    summary: 'Remove an employee',
    params: idParams,
    success: { status: 204 },
    errors: ['EMPLOYEE_NOT_FOUND'],
  },
  openapi: {
    summary: 'This API’s OpenAPI 3.1 document',
    success: { status: 200, body: z.record(z.string(), z.unknown()) },
    errors: [],
  },
} as const satisfies Record<RouteId, RouteContract>;
