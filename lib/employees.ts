/**
 * Employees: people work is assigned to. No login, no seat, so no counters or guards: each
 * write is the employee item plus its audit event, in one transaction.
 */
import { type Actor, auditItem } from './audit.js';
import { config } from './config.js';
import {
  ConditionsFailed,
  firstOrFresh,
  getItem,
  type Prefetched,
  type TransactItems,
  transact,
} from './db.js';
import { EmployeeNotFoundError, UnavailableError } from './errors.js';
import { newId, nowIso } from './ids.js';
import { keys } from './keys.js';
import { field, queryPage } from './paging.js';

export type EmployeeItem = {
  id: string;
  name: string;
  email?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type Employee = {
  id: string;
  name: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
};

function toEmployee(e: EmployeeItem): Employee {
  return {
    id: e.id,
    name: e.name,
    email: e.email ?? null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/**
 * Sorting form of a name: case- and accent-insensitive, so "Émile" sorts with the e's, not
 * after "z" as raw code points would put it.
 */
function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function put(accountId: string, e: EmployeeItem, condition: string, values?: object) {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...e,
        ...keys.employee(accountId, e.id),
        ...keys.employeesByName(accountId, nameKey(e.name), e.id),
        type: 'employee',
      },
      ConditionExpression: condition,
      ...(values ? { ExpressionAttributeValues: values } : {}),
    },
  } satisfies TransactItems[number];
}

/** Page through an account's employees sorted by name. */
export function listEmployees(
  accountId: string,
  opts: { limit: number; cursor?: string | undefined },
): Promise<{ items: Employee[]; nextCursor: string | null }> {
  const { GSI1PK } = keys.employeesByName(accountId);
  return queryPage({
    list: 'employees',
    accountId,
    limit: opts.limit,
    cursor: opts.cursor,
    query: {
      IndexName: 'byName',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': GSI1PK },
    },
    keyOf: (row) => ({ k: row.GSI1SK as string, id: row.id as string }),
    startKey: (p) => ({
      GSI1PK,
      GSI1SK: field(p, 'k'),
      ...keys.employee(accountId, field(p, 'id')),
    }),
    map: (row) => toEmployee(row as EmployeeItem),
  });
}

/** Add an employee. */
export async function createEmployee(
  accountId: string,
  input: { name: string; email?: string | undefined },
  actor: Actor,
): Promise<Employee> {
  const now = nowIso();
  const e: EmployeeItem = {
    id: newId(),
    name: input.name,
    ...(input.email ? { email: input.email } : {}),
    createdAt: now,
    updatedAt: now,
    version: 0,
  };
  await transact([
    put(accountId, e, 'attribute_not_exists(PK)'),
    auditItem(accountId, {
      actor,
      action: 'employee.created',
      target: { type: 'employee', id: e.id, name: e.name },
      changes: { name: e.name, email: e.email ?? null },
    }),
  ]);
  return toEmployee(e);
}

function getEmployee(accountId: string, id: string): Promise<EmployeeItem | undefined> {
  return getItem<EmployeeItem>(keys.employee(accountId, id));
}

const MAX_ATTEMPTS = 5;

/** Edit an employee's name or email (`email: null` clears it). */
export async function updateEmployee(
  accountId: string,
  id: string,
  patch: { name?: string | undefined; email?: string | null | undefined },
  actor: Actor,
  prefetched?: Prefetched<EmployeeItem>,
): Promise<Employee> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await firstOrFresh(attempt, prefetched, () => getEmployee(accountId, id));
    if (!current) throw new EmployeeNotFoundError();
    const next: EmployeeItem = { ...current, updatedAt: nowIso(), version: current.version + 1 };
    const changes: Record<string, unknown> = {};
    if (patch.name !== undefined && patch.name !== current.name) {
      changes.name = { from: current.name, to: patch.name };
      next.name = patch.name;
    }
    if (patch.email !== undefined && (patch.email ?? undefined) !== current.email) {
      changes.email = { from: current.email ?? null, to: patch.email };
      next.email = patch.email ?? undefined;
    }
    if (Object.keys(changes).length === 0) return toEmployee(current);
    try {
      await transact([
        put(accountId, next, 'version = :v', { ':v': current.version }),
        auditItem(accountId, {
          actor,
          action: 'employee.updated',
          target: { type: 'employee', id, name: next.name },
          changes,
        }),
      ]);
      return toEmployee(next);
    } catch (err) {
      if (!(err instanceof ConditionsFailed)) throw err;
      // Changed or deleted under us: read again (a deletion then answers 404).
    }
  }
  throw new UnavailableError();
}

/** Remove an employee; the audit event keeps the name. */
export async function deleteEmployee(
  accountId: string,
  id: string,
  actor: Actor,
  prefetched?: Prefetched<EmployeeItem>,
): Promise<void> {
  const current = await firstOrFresh(1, prefetched, () => getEmployee(accountId, id));
  if (!current) throw new EmployeeNotFoundError();
  try {
    await transact([
      {
        Delete: {
          TableName: config.tableName,
          Key: keys.employee(accountId, id),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      auditItem(accountId, {
        actor,
        action: 'employee.deleted',
        target: { type: 'employee', id, name: current.name },
        changes: {},
      }),
    ]);
  } catch (err) {
    if (err instanceof ConditionsFailed) throw new EmployeeNotFoundError();
    throw err;
  }
}
