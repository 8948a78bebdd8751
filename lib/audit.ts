/**
 * The audit log: one item per event, written in the same transaction as the change it
 * records, under the account's partition, sorted by time. Events copy the target's name at
 * the time, so a deleted user's name stays readable. Never holds a secret.
 */
import { config } from './config.js';
import type { TransactItems } from './db.js';
import { newId, nowIso } from './ids.js';
import { keys, PREFIX } from './keys.js';
import { field, queryPage } from './paging.js';

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
export function listAudit(
  accountId: string,
  limit: number,
  cursor?: string,
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const { PK } = keys.account(accountId);
  return queryPage({
    list: 'audit',
    accountId,
    limit,
    cursor,
    query: {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': PREFIX.audit },
      ScanIndexForward: false,
    },
    keyOf: (row) => ({ sk: row.SK as string }),
    startKey: (p) => {
      const SK = field(p, 'sk');
      if (!SK.startsWith(PREFIX.audit)) throw new Error('not an audit position');
      return { PK, SK };
    },
    map: ({ id, at, actor, action, target, changes }) =>
      ({ id, at, actor, action, target, changes }) as AuditEvent,
  });
}
