/**
 * The password policy of the contract: length in characters and UTF-8 bytes, not the
 * username, not a common password.
 */
import { readFile } from 'node:fs/promises';
import { WeakPasswordError } from './errors.js';
import { MAX_BYTES } from './passwords.js';

export const MIN_CHARS = 8;

/**
 * The ~18,000 entries of zxcvbn-ts' common-password list long enough to pass the length rule
 * (`npm run common-passwords` writes it). A data file rather than a module: in the bundle it
 * would be 371 KB for Node to parse on every cold start of the four functions that set
 * passwords. It sits beside this module in the sources and beside index.mjs in those
 * functions' bundles (infra/bundling.ts copies it there: the route table's `setsPasswords`).
 */
export const COMMON_PASSWORDS_FILE = new URL('./common-passwords.txt', import.meta.url);

let common: Set<string> | undefined;

/** Read on first use, so a cold start doesn't pay for it. */
async function commonPasswords(): Promise<Set<string>> {
  common ??= new Set((await readFile(COMMON_PASSWORDS_FILE, 'utf8')).split('\n').filter(Boolean));
  return common;
}

/** Throws WeakPasswordError unless the password meets the contract's rules. */
export async function assertStrongPassword(password: string, username?: string): Promise<void> {
  if ([...password].length < MIN_CHARS) {
    throw new WeakPasswordError(`The password must be at least ${MIN_CHARS} characters long.`);
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_BYTES) {
    throw new WeakPasswordError(`The password must be at most ${MAX_BYTES} bytes (UTF-8) long.`);
  }
  const lower = password.toLowerCase();
  if (username !== undefined && lower === username.toLowerCase()) {
    throw new WeakPasswordError('The password must not be the username.');
  }
  if ((await commonPasswords()).has(lower)) {
    throw new WeakPasswordError('This password is too common. Choose a less guessable one.');
  }
}
