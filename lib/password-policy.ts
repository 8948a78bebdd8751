/**
 * The password policy of the contract: length in characters and UTF-8 bytes, not the
 * username, not a common password.
 */
import { WeakPasswordError } from './errors.js';
import { MAX_BYTES } from './passwords.js';

const MIN_CHARS = 8;

let common: Set<string> | undefined;

/**
 * The ~18,000 entries of zxcvbn-ts' common-password list that are long enough to pass the
 * length rule. Decompressed on first use, so a cold start doesn't pay for it.
 */
async function commonPasswords(): Promise<Set<string>> {
  if (!common) {
    const { default: list } = await import('@zxcvbn-ts/language-common/dist/passwords.json.mjs');
    common = new Set((list as string[]).filter((p) => p.length >= MIN_CHARS));
  }
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
