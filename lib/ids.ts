import { randomBytes } from 'node:crypto';

/** A new opaque id: 16 base64url characters (96 random bits); never contains `#`. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** Now as an ISO-8601 UTC string (reads Date, so fake timers control it in tests). */
export function nowIso(): string {
  return new Date().toISOString();
}
