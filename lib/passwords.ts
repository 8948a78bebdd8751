/**
 * Password policy and hashing (bcryptjs). Only this module sees hashes being made or compared.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { config } from './config.js';
import { WeakPasswordError } from './errors.js';

const MIN_CHARS = 8;
/** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut. */
const MAX_BYTES = 72;

let common: Set<string> | undefined;

/**
 * The ~18,000 entries of zxcvbn-ts' common-password list that are long enough to pass the
 * length rule. Loaded on first use so functions that never check a password don't pay for it.
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

/** Hash a password at the configured cost. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, config.bcryptCost);
}

/**
 * Hashes of random throwaway passwords, one per cost, so an unknown user costs a real
 * comparison at the same cost as a known one and timing does not tell them apart.
 */
const DUMMY_HASHES: Record<number, string> = {
  10: '$2b$10$Uik77BXFXHJAA7R3BrlcceBtNZ3MOtHQVU.YJlfVd7J8Z6x.GQdF6',
  11: '$2b$11$VWxWPT2VkVxQBX4EBeR7kOzbLzfWbsepjXjFzMWAYW5YjzhCPQ79m',
  12: '$2b$12$9oJWVZP92fUVfz0P3ZWkPez1ud5EpswsZF1rQndO/K/N49iB6eT26',
  13: '$2b$13$cQk3NsGepX3i/cu9ozlqn./NPiYVLkGTDT7rpo1OC4hNNvz7BpQS.',
};

/** Compare a password with a hash; with no hash, burn the same time and answer false. */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  if (Buffer.byteLength(password, 'utf8') > MAX_BYTES) {
    // Never compare a truncated password: bcrypt would accept any 72-byte prefix.
    await bcrypt.compare('', hash ?? dummyHash());
    return false;
  }
  if (hash === undefined) {
    await bcrypt.compare(password, dummyHash());
    return false;
  }
  return bcrypt.compare(password, hash);
}

function dummyHash(): string {
  return DUMMY_HASHES[config.bcryptCost] ?? DUMMY_HASHES[13]!;
}

/** A random temporary password that passes the policy (operator CLI, admin resets). */
export function temporaryPassword(): string {
  // 18 random bytes → 24 base64url characters, ~144 bits.
  return randomBytes(18).toString('base64url');
}
