/**
 * The caller changes their own password (POST /v1/me/password).
 */
import { auditItem } from './audit.js';
import { config } from './config.js';
import { ConditionsFailed, transact } from './db.js';
import { InvalidCredentialsError, PasswordReusedError, UnauthenticatedError } from './errors.js';
import { nowIso } from './ids.js';
import { keys } from './keys.js';
import { assertStrongPassword } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type Session, sessionFor } from './sessions.js';
import type { UserItem } from './user-store.js';

/**
 * The caller changes their own password. Every earlier token stops working; the returned
 * session replaces them.
 */
export async function changeOwnPassword(
  user: UserItem,
  currentPassword: string,
  newPassword: string,
): Promise<Session> {
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new InvalidCredentialsError();
  }
  if (newPassword === currentPassword) throw new PasswordReusedError();
  await assertStrongPassword(newPassword, user.username);
  const next: UserItem = {
    ...user,
    passwordHash: await hashPassword(newPassword),
    mustChangePassword: false,
    tokenVersion: user.tokenVersion + 1,
    version: user.version + 1,
    updatedAt: nowIso(),
  };
  try {
    await transact([
      {
        Update: {
          TableName: config.tableName,
          Key: keys.user(user.accountId, user.id),
          UpdateExpression:
            'SET passwordHash = :h, mustChangePassword = :f, tokenVersion = :tv, version = :v, updatedAt = :now',
          // Conditional on the version read at authentication: a concurrent admin change or
          // logout wins and this request must start again.
          ConditionExpression: 'version = :prev AND tokenVersion = :prevTv',
          ExpressionAttributeValues: {
            ':h': next.passwordHash,
            ':f': false,
            ':tv': next.tokenVersion,
            ':v': next.version,
            ':now': next.updatedAt,
            ':prev': user.version,
            ':prevTv': user.tokenVersion,
          },
        },
      },
      auditItem(user.accountId, {
        actor: { id: user.id, username: user.username },
        action: 'user.password_changed',
        target: { type: 'user', id: user.id, name: user.username },
        changes: { password: 'changed' },
      }),
    ]);
  } catch (err) {
    if (err instanceof ConditionsFailed) throw new UnauthenticatedError();
    throw err;
  }
  return sessionFor(next);
}
