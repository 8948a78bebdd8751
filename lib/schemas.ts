/**
 * Request schemas shared by handlers (and, later, the OpenAPI document). Objects are strict:
 * unknown fields are a 400 VALIDATION_FAILED, never silently dropped.
 */
import { z } from 'zod';

/** Letters, digits and `. _ - @` (ASCII: look-alike letters from other scripts are refused). */
export const username = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'Use 1–64 letters, digits or . _ - @');

/** Checked for strength in lib/passwords.ts; here only its type and a sane upper bound. */
export const password = z.string().min(1).max(1024);

export const email = z.email().max(254);

export const slug = z
  .string()
  .regex(/^[a-z0-9-]{3,40}$/, 'Use 3–40 lower-case letters, digits or -');

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

export const idParams = z.strictObject({ id: z.string().min(1).max(64) });

/** Lower-cased form used for uniqueness and sorting of usernames. */
export function usernameKey(name: string): string {
  return name.toLowerCase();
}

/** Lower-cased, trimmed form used for uniqueness of emails. */
export function emailKey(address: string): string {
  return address.trim().toLowerCase();
}
