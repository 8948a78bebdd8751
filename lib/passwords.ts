/**
 * Password hashing (bcryptjs). Only this module makes or compares hashes; the policy is in
 * password-policy.ts, so sign-in does not carry the common-password list.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { config } from './config.js';

/** bcrypt reads at most 72 bytes: longer passwords are refused by the policy, never compared. */
export const MAX_BYTES = 72;

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
