/**
 * Reading accounts, and the API's views of one. Kept apart from account provisioning
 * (accounts.ts) so request handlers don't carry what only the operator CLI needs.
 */
import { getItem } from './db.js';
import { keys } from './keys.js';
import { PLANS, type PlanId, userLimitOf } from './plans.js';

export type AccountItem = {
  id: string;
  slug: string;
  name: string;
  plan: PlanId;
  /** Absent when the plan is unlimited; the create-user condition reads it. */
  userLimit?: number;
  userCount: number;
  adminCount: number;
  createdAt: string;
  updatedAt: string;
};

/** The account summary of API.md (`GET /v1/me`). */
export function accountSummary(a: AccountItem) {
  return { id: a.id, slug: a.slug, name: a.name, plan: a.plan };
}

/** The account with its limit, count and features (`GET /v1/account`). */
export function accountDetails(a: AccountItem) {
  return {
    ...accountSummary(a),
    userLimit: userLimitOf(a.plan),
    userCount: a.userCount,
    features: { ...PLANS[a.plan].features },
  };
}

/** Read an account by id, or undefined. */
export function getAccount(accountId: string): Promise<AccountItem | undefined> {
  return getItem<AccountItem>(keys.account(accountId));
}

/** Resolve a slug to its account, or undefined. */
export async function getAccountBySlug(slug: string): Promise<AccountItem | undefined> {
  const guard = await getItem<{ accountId: string }>(keys.slug(slug));
  return guard ? getAccount(guard.accountId) : undefined;
}
