/**
 * What a reset token is in the table: one item per user, holding only the token's SHA-256.
 */
import { createHash } from 'node:crypto';

export type TokenItem = {
  accountId: string;
  userId: string;
  slug: string;
  tokenHash: string;
  expiresAt: string;
  usedAt?: string;
};

/** SHA-256 of a token, hex: the only form of a token the table ever holds. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
