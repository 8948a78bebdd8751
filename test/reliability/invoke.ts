/**
 * Direct handler calls for the reliability tests (infra/local/invoke.ts), and accounts set up
 * through them.
 */
import { randomBytes } from 'node:crypto';
import { activate } from '../../infra/local/invoke.js';
import { createAccount } from '../../lib/accounts.js';
import type { PlanId } from '../../lib/plans.js';
import { ADMIN_PASSWORD } from '../support/harness.js';

export { type Answer, type Call, invoke } from '../../infra/local/invoke.js';

/** A fresh account whose admin has chosen ADMIN_PASSWORD, set up through the handlers. */
export async function directAccount(plan: PlanId = 'cloud-pro', prefix = 'rl') {
  const slug = `${prefix}-${randomBytes(6).toString('hex')}`;
  const created = await createAccount({ slug, name: `Test ${slug}`, plan, adminUsername: 'admin' });
  const token = await activate(slug, 'admin', created.temporaryPassword as string, ADMIN_PASSWORD);
  return {
    slug,
    accountId: created.account.id,
    adminId: created.admin.id,
    token,
    password: ADMIN_PASSWORD,
  };
}
