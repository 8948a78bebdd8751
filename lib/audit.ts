/**
 * The audit log: one item per event, written in the same transaction as the change it
 * records, under the account's partition, sorted by time. Events copy the target's name at
 * the time, so a deleted user's name stays readable. Never holds a secret.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from './config.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { db, type TransactItems } from './db.js';
import { newId, nowIso } from './ids.js';
import { keys, PREFIX } from './keys.js';

export type Actor = { id: string; username: string };
export type AuditAction =
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'user.password_changed'
  | 'user.password_reset'
  | 'employee.created'
  | 'employee.updated'
  | 'employee.deleted';

export type AuditEvent = {
  id: string;
  at: string;
  actor: Actor;
  action: AuditAction;
  target: { type: 'user' | 'employee'; id: string; name: string };
  changes: Record<string, unknown>;
};

/** The operator (accounts CLI) as an audit actor. */
export const OPERATOR: Actor = { id: 'operator', username: 'operator' };

/** A transaction item that records an event. */
export function auditItem(
  accountId: string,
  event: Omit<AuditEvent, 'id' | 'at'>,
): TransactItems[number] {
  const id = newId();
  const at = nowIso();
  // Copy only the actor's id and name: callers may pass a whole user item.
  const actor = { id: event.actor.id, username: event.actor.username };
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...keys.audit(accountId, at, id), type: 'audit', id, at, ...event, actor },
    },
  };
}

/** One page of an account's audit events, newest first. */
export async function listAudit(
  accountId: string,
  limit: number,
  cursor?: string,
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const pk = keys.account(accountId).PK;
  const start = cursor ? await decodeCursor('audit', accountId, cursor) : undefined;
  const out = await db().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': PREFIX.audit },
      ScanIndexForward: false,
      Limit: limit + 1,
      ...(start ? { ExclusiveStartKey: { PK: pk, SK: assertAuditSk(start.sk) } } : {}),
    }),
  );
  const rows = out.Items ?? [];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ id, at, actor, action, target, changes }) => ({
      id,
      at,
      actor,
      action,
      target,
      changes,
    })) as AuditEvent[],
    nextCursor:
      rows.length > limit && last
        ? await encodeCursor('audit', accountId, { sk: last.SK as string })
        : null,
  };
}

function assertAuditSk(sk: string | undefined): string {
  // The cursor is signed, so this only guards against our own bugs.
  if (!sk?.startsWith(PREFIX.audit)) throw new Error('audit cursor without an audit key');
  return sk;
}
