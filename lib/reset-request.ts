/**
 * Forgot password: issue a single-use, expiring reset link and email it (see reset.ts for
 * using it, reset-cleanup.ts for removing it). A token is 32 random bytes (base64url) that
 * exists only in the email; the table keeps its SHA-256.
 */
import { randomBytes } from 'node:crypto';
import { getAccountBySlug } from './account-store.js';
import { config } from './config.js';
import { ConditionsFailed, getItem, transact } from './db.js';
import { emailKey, keys } from './keys.js';
import { logger } from './logger.js';
import { escapeHtml, sendMail } from './mailer.js';
import { hashToken, type TokenItem } from './reset-token.js';
import { findUserByUsername, getUser, type UserItem } from './user-store.js';

/** At most this many reset emails per user per rolling hour. */
export const RESET_EMAILS_PER_HOUR = 5;
const HOUR_MS = 3600_000;

export type ForgotInput = { account: string } & ({ username: string } | { email: string });

/**
 * Handle a forgot-password request. Answers nothing either way: the caller always says 202,
 * and pads the time (see the handler) so known and unknown users look alike. Failures after
 * the user is known (the write, SES) are logged, never surfaced: an error only for known
 * users would tell who exists.
 */
export async function requestReset(input: ForgotInput): Promise<void> {
  const slug = input.account.toLowerCase();
  const account = await getAccountBySlug(slug);
  if (!account) return;
  const user = await findUser(account.id, input);
  if (!user?.email) return;
  try {
    await issueAndSend(user, slug, account.name);
  } catch (err) {
    logger.error('reset email not sent', { error: { name: (err as Error).name } });
  }
}

async function findUser(accountId: string, input: ForgotInput): Promise<UserItem | undefined> {
  if ('username' in input) return findUserByUsername(accountId, input.username);
  const guard = await getItem<{ userId: string }>(
    keys.emailGuard(accountId, emailKey(input.email)),
  );
  return guard ? getUser(accountId, guard.userId) : undefined;
}

async function issueAndSend(user: UserItem, slug: string, accountName: string): Promise<void> {
  const now = Date.now();
  const T = config.tableName;
  const rateKey = keys.resetRate(user.accountId, user.id);
  const rate = await getItem<{ sends: number[]; version: number }>(rateKey);
  const recent = (rate?.sends ?? []).filter((t) => t > now - HOUR_MS);
  if (recent.length >= RESET_EMAILS_PER_HOUR) {
    logger.info('reset email cap reached');
    return;
  }
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const expiresAt = new Date(now + config.resetTokenTtlMinutes * 60_000).toISOString();
  const version = rate?.version ?? 0;
  try {
    await transact([
      {
        // The send log: conditional on what was read, so two racing requests can't both
        // squeeze in under the cap.
        Put: {
          TableName: T,
          Item: {
            ...rateKey,
            type: 'resetRate',
            sends: [...recent, now],
            version: version + 1,
            ttl: Math.ceil((now + HOUR_MS) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR version = :v',
          ExpressionAttributeValues: { ':v': version },
        },
      },
      {
        // Overwrites the user's older token: only the newest link works.
        Put: {
          TableName: T,
          Item: {
            ...keys.resetToken(user.accountId, user.id),
            ...keys.resetTokenByHash(tokenHash),
            ...keys.resetExpiry(expiresAt),
            type: 'resetToken',
            accountId: user.accountId,
            userId: user.id,
            slug,
            tokenHash,
            expiresAt,
            ttl: Math.ceil(Date.parse(expiresAt) / 1000),
          } satisfies TokenItem & Record<string, unknown>,
        },
      },
      {
        // A user deleted since the lookup gets no token (and no email).
        ConditionCheck: {
          TableName: T,
          Key: keys.user(user.accountId, user.id),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
    ]);
  } catch (err) {
    // A concurrent request took the slot, or the user is gone: send nothing.
    if (err instanceof ConditionsFailed) return;
    throw err;
  }
  await sendMail(resetEmail(user, accountName, token));
}

/** The reset email: plain text and HTML, the account's name, the configured link. */
export function resetEmail(user: UserItem, accountName: string, token: string) {
  const link = `${config.appUrl}/reset-password?token=${encodeURIComponent(token)}`;
  const minutes = config.resetTokenTtlMinutes;
  const text = [
    `Hello ${user.username},`,
    '',
    `Someone asked to reset your password for ${accountName} on Capptro.`,
    `To choose a new password, open this link within ${minutes} minutes:`,
    '',
    link,
    '',
    'The link works once. If you did not ask for this, ignore this email: your password stays as it is.',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hello ${escapeHtml(user.username)},</p>
<p>Someone asked to reset your password for <strong>${escapeHtml(accountName)}</strong> on Capptro.</p>
<p><a href="${escapeHtml(link)}">Choose a new password</a> (the link works once, within ${minutes} minutes).</p>
<p>If you did not ask for this, ignore this email: your password stays as it is.</p>
</body></html>`;
  return {
    to: user.email as string,
    subject: `Reset your ${accountName} password on Capptro`,
    text,
    html,
  };
}
