/**
 * The field schemas that requests share, in `zod/mini`, zod's tree-shakable build: a function
 * bundles only the parsers its route uses (about 20 KB), where classic `zod` brings all of
 * itself (444 KB and 35 ms of import on every cold start).
 *
 * Every schema here and in lib/requests.ts is built by a function, on first use: a zod call
 * at module level counts as a side effect to esbuild, so it would be kept, and run at load, in
 * every bundle that imports the module, whether or not its route uses it.
 */
import * as z from 'zod/mini';
import './zod-messages.js';

/** Letters, digits and `. _ - @` (ASCII: look-alike letters from other scripts are refused). */
export const username = () =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(64),
      z.regex(/^[A-Za-z0-9._@-]+$/, 'Use 1–64 letters, digits or . _ - @'),
    );

/** Checked for strength in lib/password-policy.ts; here only its type and a sane upper bound. */
export const password = () => z.string().check(z.minLength(1), z.maxLength(1024));

export const email = () => z.email().check(z.maxLength(254));

export const slug = () =>
  z.string().check(z.regex(/^[a-z0-9-]{3,40}$/, 'Use 3–40 lower-case letters, digits or -'));

/** The account slug as people type it at sign-in (checked against the table, not a pattern). */
export const accountSlug = () =>
  z.string().check(z.minLength(1), z.maxLength(64), z.meta({ description: 'The account slug' }));

export const listQuery = () =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  });

export const idParams = () =>
  z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)) });
