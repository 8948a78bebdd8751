/**
 * What every route accepts: the zod schemas of its body, query and path parameters, one
 * function per route (see lib/schemas.ts for why functions). A handler passes its route's
 * function to its wrapper, which builds the schemas once, at load, and validates every request
 * with them; lib/contract.ts maps each route to its function for the OpenAPI document.
 */
import * as z from 'zod/mini';
import { accountSlug, email, idParams, listQuery, password, username } from './schemas.js';

export type RouteRequest = {
  readonly body?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly params?: z.ZodMiniType;
};

const employeeName = () => z.string().check(z.trim(), z.minLength(1), z.maxLength(100));

/** PATCH bodies: every field optional, but not all of them absent. */
const patch = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z
    .strictObject(shape)
    .check(
      z.refine(
        (b: object) => Object.keys(b).length > 0,
        `Give at least one of ${Object.keys(shape).join(', ')}`,
      ),
    );

/** Routes that take no body, query or path parameters (any sent is refused). */
export const none = () => ({});

export const login = () => ({
  body: z.strictObject({
    account: accountSlug(),
    username: z.string().check(z.minLength(1), z.maxLength(64)),
    password: password(),
  }),
});

export const mePassword = () => ({
  body: z.strictObject({ currentPassword: password(), newPassword: password() }),
});

export const usersList = () => ({
  query: z.extend(listQuery(), {
    q: z
      .optional(
        z
          .string()
          .check(z.maxLength(64), z.regex(/^[A-Za-z0-9._@-]*$/, 'Use letters, digits or . _ - @')),
      )
      .check(z.meta({ description: 'Username prefix, case-insensitive' })),
  }),
});

export const usersCreate = () => ({
  body: z.strictObject({
    username: username(),
    password: password(),
    admin: z._default(z.boolean(), false),
    email: z.optional(email()),
  }),
});

/** GET and DELETE of one user or employee: the `{id}` of the path. */
export const byId = () => ({ params: idParams() });

export const usersUpdate = () => ({
  params: idParams(),
  body: patch({
    username: z.optional(username()),
    password: z.optional(password()),
    admin: z.optional(z.boolean()),
    email: z.optional(z.nullable(email())),
  }),
});

/** Lists with nothing but a page size and a cursor. */
export const page = () => ({ query: listQuery() });

export const forgotPassword = () => ({
  body: z.union([
    z.strictObject({ account: accountSlug(), username: username() }),
    z.strictObject({ account: accountSlug(), email: email() }),
  ]),
});

export const resetPassword = () => ({
  body: z.strictObject({
    token: z.string().check(z.minLength(1), z.maxLength(256)),
    newPassword: password(),
  }),
});

/** Loose on purpose: mail clients and link trackers add parameters of their own. */
export const resetPage = () => ({
  query: z.object({ token: z.optional(z.string().check(z.maxLength(256))) }),
});

export const employeesCreate = () => ({
  body: z.strictObject({ name: employeeName(), email: z.optional(email()) }),
});

export const employeesUpdate = () => ({
  params: idParams(),
  body: patch({ name: z.optional(employeeName()), email: z.optional(z.nullable(email())) }),
});
