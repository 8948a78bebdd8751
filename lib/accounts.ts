/**
 * Accounts (tenants) and their plans. Provisioned by operators through the accounts CLI.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AccountItem,
  accountDetails,
  accountSummary,
  getAccountBySlug,
} from './account-store.js';
import { OPERATOR } from './audit.js';
import { config } from './config.js';
import { ConditionsFailed, db, transact } from './db.js';
import { AccountNotFoundError, SlugTakenError } from './errors.js';
import { newId, nowIso } from './ids.js';
import { keys } from './keys.js';
import { temporaryPassword } from './passwords.js';
import { type PlanId, userLimitOf } from './plans.js';
import { newUserItems } from './users.js';

export type CreateAccountInput = {
  slug: string;
  name: string;
  plan: PlanId;
  adminUsername: string;
  adminEmail?: string;
  adminPassword?: string;
};

/**
 * Provision an account with its first admin in one transaction: slug guard, account with
 * counters at 1/1, the admin user and its guards, and the audit event.
 */
export async function createAccount(input: CreateAccountInput) {
  const id = newId();
  const now = nowIso();
  const generated = input.adminPassword === undefined ? temporaryPassword() : undefined;
  const { user, items } = await newUserItems(
    id,
    {
      username: input.adminUsername,
      password: input.adminPassword ?? (generated as string),
      admin: true,
      ...(input.adminEmail ? { email: input.adminEmail } : {}),
    },
    OPERATOR,
  );
  const limit = userLimitOf(input.plan);
  const account: AccountItem = {
    id,
    slug: input.slug,
    name: input.name,
    plan: input.plan,
    ...(limit === null ? {} : { userLimit: limit }),
    userCount: 1,
    adminCount: 1,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await transact([
      {
        Put: {
          TableName: config.tableName,
          Item: { ...keys.slug(input.slug), type: 'slug', accountId: id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: config.tableName,
          Item: {
            ...keys.account(id),
            ...keys.accountsBySlug(input.slug),
            type: 'account',
            ...account,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...items,
    ]);
  } catch (err) {
    if (err instanceof ConditionsFailed && err.failed(0)) throw new SlugTakenError(input.slug);
    throw err;
  }
  return {
    account: accountSummary(account),
    admin: { id: user.id, username: user.username },
    ...(generated ? { temporaryPassword: generated } : {}),
  };
}

/**
 * Move an account to another plan. Existing users stay; a lower limit only blocks creation
 * (the create condition compares the counter with the new limit).
 */
export async function setPlan(slug: string, plan: PlanId) {
  const account = await getAccountBySlug(slug);
  if (!account) throw new AccountNotFoundError(slug);
  const limit = userLimitOf(plan);
  const out = await db().send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: keys.account(account.id),
      UpdateExpression:
        limit === null
          ? 'SET #plan = :plan, updatedAt = :now REMOVE userLimit'
          : 'SET #plan = :plan, updatedAt = :now, userLimit = :limit',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#plan': 'plan' },
      ExpressionAttributeValues: {
        ':plan': plan,
        ':now': nowIso(),
        ...(limit === null ? {} : { ':limit': limit }),
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return accountDetails(out.Attributes as AccountItem);
}

/** Every account, by slug (operator CLI; pages through the byName index). */
export async function listAccounts() {
  const accounts: ReturnType<typeof accountDetails>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: config.tableName,
        IndexName: 'byName',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.accountsBySlug('').GSI1PK },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) accounts.push(accountDetails(item as AccountItem));
    start = out.LastEvaluatedKey;
  } while (start);
  return accounts;
}
