/**
 * The single table: every key shape and index lives here and nowhere else.
 *
 * Tenant data sits under `ACCOUNT#<accountId>`, so a query can only ever read one account.
 * Values that come from people (usernames, emails, names, slugs) are normalised by the caller
 * and escaped by `seg()` before they touch a key: `#` (the separator) and `%` (the escape) are
 * percent-encoded, so `a#b` can never be read as two segments or collide with another key.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** The key schema, TTL attribute and indexes, shared by the CDK table and the local stack. */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'ttl',
  indexes: {
    /** Users / employees of an account (and all accounts) sorted by normalised name. */
    byName: { partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'ALL' },
    /** A reset token found by the SHA-256 of the token; only the hash is ever stored. */
    byResetToken: { partitionKey: 'GSI2PK', sortKey: undefined, projection: 'ALL' },
    /** Sparse: only reset tokens that can still be cleaned up carry these attributes. */
    byExpiry: { partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'KEYS_ONLY' },
  },
} as const;

export type IndexName = keyof typeof TABLE.indexes;

/** Lower-cased form used for uniqueness and sorting of usernames. */
export function usernameKey(name: string): string {
  return name.toLowerCase();
}

/** Lower-cased, trimmed form used for uniqueness of emails. */
export function emailKey(address: string): string {
  return address.trim().toLowerCase();
}

/** Escape a value for use as one key segment (see the module comment). */
export function seg(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('#', '%23');
}

export type Key = { PK: string; SK: string };

const tenant = (accountId: string) => `ACCOUNT#${seg(accountId)}`;

/** Sort key prefixes of items inside an account's partition. */
export const PREFIX = {
  user: 'USER#',
  usernameGuard: 'USERNAME#',
  emailGuard: 'EMAIL#',
  employee: 'EMPLOYEE#',
  audit: 'AUDIT#',
  resetToken: 'RESETTOKEN#',
  resetRate: 'RESETRATE#',
} as const;

export const keys = {
  /** The account item: name, plan, user limit and the user/admin counters. */
  account: (accountId: string): Key => ({ PK: tenant(accountId), SK: 'ACCOUNT' }),
  /** Index attributes that list every account by slug (operator CLI). */
  accountsBySlug: (slug: string) => ({ GSI1PK: 'ACCOUNTS', GSI1SK: seg(slug) }),
  /** Slug guard: makes slugs unique and maps a slug to its account id at login. */
  slug: (slug: string): Key => ({ PK: `SLUG#${seg(slug)}`, SK: 'SLUG' }),

  user: (accountId: string, userId: string): Key => ({
    PK: tenant(accountId),
    SK: `${PREFIX.user}${seg(userId)}`,
  }),
  /** Index attributes of a user: the account's users sorted by normalised username. */
  usersByName: (accountId: string, usernameKey?: string) => ({
    GSI1PK: `${tenant(accountId)}#USERS`,
    GSI1SK: usernameKey === undefined ? undefined : seg(usernameKey),
  }),
  usernameGuard: (accountId: string, usernameKey: string): Key => ({
    PK: tenant(accountId),
    SK: `${PREFIX.usernameGuard}${seg(usernameKey)}`,
  }),
  emailGuard: (accountId: string, emailKey: string): Key => ({
    PK: tenant(accountId),
    SK: `${PREFIX.emailGuard}${seg(emailKey)}`,
  }),

  employee: (accountId: string, employeeId: string): Key => ({
    PK: tenant(accountId),
    SK: `${PREFIX.employee}${seg(employeeId)}`,
  }),
  /** Names are not unique, so the id follows the name to make each sort key unique. */
  employeesByName: (accountId: string, nameKey?: string, employeeId?: string) => ({
    GSI1PK: `${tenant(accountId)}#EMPLOYEES`,
    GSI1SK: nameKey === undefined ? undefined : `${seg(nameKey)}#${seg(employeeId ?? '')}`,
  }),

  /** Audit events sort by time; the id breaks ties between events of the same millisecond. */
  audit: (accountId: string, at: string, eventId: string): Key => ({
    PK: tenant(accountId),
    SK: `${PREFIX.audit}${at}#${seg(eventId)}`,
  }),

  /**
   * Failed sign-ins for one account slug + username. Keyed by the slug as typed, not the
   * account id: unknown accounts must lock out exactly like known ones, or the 429 would
   * reveal which accounts exist.
   */
  lockout: (slug: string, usernameKey: string): Key => ({
    PK: `LOCKOUT#${seg(slug)}#${seg(usernameKey)}`,
    SK: 'LOCKOUT',
  }),

  /** One live reset token per user: a new request overwrites the older one. */
  resetToken: (accountId: string, userId: string): Key => ({
    PK: tenant(accountId),
    SK: `${PREFIX.resetToken}${seg(userId)}`,
  }),
  resetTokenByHash: (tokenHash: string) => ({ GSI2PK: `RESET#${seg(tokenHash)}` }),
  /** Sparse expiry index: present while a token is live or used but not yet removed. */
  resetExpiry: (removableAt?: string) => ({ GSI3PK: 'RESET_EXPIRY', GSI3SK: removableAt }),
  /** Reset emails sent to a user in the last hour (the 5-per-hour cap). */
  resetRate: (accountId: string, userId: string): Key => ({
    PK: tenant(accountId),
    SK: `${PREFIX.resetRate}${seg(userId)}`,
  }),
};

/** CreateTable input for the local stack and tests; mirrors the CDK table (infra/constructs). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attrs = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  const gsis = Object.entries(TABLE.indexes).map(([name, ix]) => {
    attrs.add(ix.partitionKey);
    if (ix.sortKey) attrs.add(ix.sortKey);
    return {
      IndexName: name,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: 'HASH' as const },
        ...(ix.sortKey ? [{ AttributeName: ix.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      Projection: { ProjectionType: ix.projection },
    };
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: gsis,
  };
}
