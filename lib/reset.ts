/**
 * Using a reset link: set a new password with its token (see reset-request.ts for issuing
 * it). Each user has at most one token item, found by the token's SHA-256 through the
 * byResetToken index.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditItem } from './audit.js';
import { config } from './config.js';
import { ConditionsFailed, db, transact } from './db.js';
import { InvalidResetTokenError } from './errors.js';
import { nowIso } from './ids.js';
import { keys, usernameKey } from './keys.js';
import { assertStrongPassword } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { hashToken, type TokenItem } from './reset-token.js';
import { getUser } from './user-store.js';

/**
 * Set a new password with a reset token. The token is consumed in the same transaction as
 * the password change (condition: this hash, unused, unexpired), so it works exactly once
 * even under concurrent use. Signs the user out everywhere and clears any lockout.
 */
export async function resetPassword(token: string, newPassword: string): Promise<void> {
  const tokenHash = hashToken(token);
  const found = await db().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: 'byResetToken',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.resetTokenByHash(tokenHash).GSI2PK },
      Limit: 1,
    }),
  );
  const item = found.Items?.[0] as TokenItem | undefined;
  const now = nowIso();
  if (!item || item.usedAt || item.expiresAt <= now) throw new InvalidResetTokenError();
  const user = await getUser(item.accountId, item.userId);
  if (!user) throw new InvalidResetTokenError();
  await assertStrongPassword(newPassword, user.username);
  const passwordHash = await hashPassword(newPassword);
  const T = config.tableName;
  try {
    await transact([
      {
        Update: {
          TableName: T,
          Key: keys.resetToken(item.accountId, item.userId),
          // Used tokens become removable now: cleanup finds them through byExpiry.
          UpdateExpression: 'SET usedAt = :now, GSI3SK = :now REMOVE GSI2PK',
          ConditionExpression:
            'tokenHash = :h AND attribute_not_exists(usedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':h': tokenHash, ':now': nowIso() },
        },
      },
      {
        Update: {
          TableName: T,
          Key: keys.user(item.accountId, item.userId),
          UpdateExpression:
            'SET passwordHash = :ph, mustChangePassword = :f, updatedAt = :now, tokenVersion = tokenVersion + :one, version = version + :one',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':ph': passwordHash, ':f': false, ':now': now, ':one': 1 },
        },
      },
      // A successful reset clears any sign-in lockout of this account+username.
      { Delete: { TableName: T, Key: keys.lockout(item.slug, usernameKey(user.username)) } },
      auditItem(item.accountId, {
        actor: { id: user.id, username: user.username },
        action: 'user.password_reset',
        target: { type: 'user', id: user.id, name: user.username },
        changes: { password: 'reset' },
      }),
    ]);
  } catch (err) {
    if (err instanceof ConditionsFailed) throw new InvalidResetTokenError();
    throw err;
  }
}
