/**
 * The integrity checker behind `npm run accounts -- verify` and the reliability tests: reads
 * one account's partition (Query, paged, strongly consistent; never a Scan) and lists every
 * way it breaks the invariants the write paths promise to keep together in one transaction.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AccountItem, getAccountBySlug } from './account-store.js';
import { config } from './config.js';
import { db, getItem } from './db.js';
import { AccountNotFoundError } from './errors.js';
import { emailKey, keys, PREFIX, usernameKey } from './keys.js';
import { isPlanId, userLimitOf } from './plans.js';
import type { UserItem } from './user-store.js';

type Item = Record<string, unknown> & { PK: string; SK: string };

type AuditRow = {
  at: string;
  action: string;
  target?: { type?: string; id?: string; name?: string };
};

/** Audit actions that change a user item; the newest must be at or after its `updatedAt`. */
const USER_WRITES = new Set([
  'user.created',
  'user.updated',
  'user.password_changed',
  'user.password_reset',
]);

/** The report an operator sees: `ok` is true exactly when `problems` is empty. */
export type VerifyReport = { ok: boolean; problems: string[] };

/** Every item of the account's partition, page by page (strongly consistent). */
export async function readPartition(accountId: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.account(accountId).PK },
        // Strongly consistent, so a check right after a write sees that write.
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((out.Items ?? []) as Item[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The id part of a sort key written as `<prefix><seg(id)>`: seg() undone. */
function idAfter(sk: string, prefix: string): string {
  return sk.slice(prefix.length).replaceAll('%23', '#').replaceAll('%25', '%');
}

/** Check one account's invariants; answers the problems found (empty when all hold). */
export async function verifyAccount(accountId: string): Promise<string[]> {
  const items = await readPartition(accountId);
  const problems: string[] = [];
  const say = (text: string) => problems.push(text);

  const account = items.find((i) => i.SK === 'ACCOUNT') as (Item & AccountItem) | undefined;
  const users = new Map<string, Item & UserItem>();
  const usernameGuards = new Map<string, Item>();
  const emailGuards = new Map<string, Item>();
  const resetTokens: Item[] = [];
  const resetRates: Item[] = [];
  const audit: (Item & AuditRow)[] = [];
  const knownPrefixes = Object.values(PREFIX) as string[];

  for (const item of items) {
    const sk = item.SK;
    if (sk === 'ACCOUNT') continue;
    if (sk.startsWith(PREFIX.user)) users.set(idAfter(sk, PREFIX.user), item as Item & UserItem);
    else if (sk.startsWith(PREFIX.usernameGuard)) usernameGuards.set(sk, item);
    else if (sk.startsWith(PREFIX.emailGuard)) emailGuards.set(sk, item);
    else if (sk.startsWith(PREFIX.resetToken)) resetTokens.push(item);
    else if (sk.startsWith(PREFIX.resetRate)) resetRates.push(item);
    else if (sk.startsWith(PREFIX.audit)) audit.push(item as Item & AuditRow);
    // Employees belong to another feature with rules of its own; only unknown shapes are news.
    else if (!knownPrefixes.some((p) => sk.startsWith(p))) say(`unexpected item ${sk}`);
  }

  if (!account) {
    say(`account ${accountId} has no ACCOUNT item`);
  } else {
    if (account.id !== accountId) say(`ACCOUNT item has id ${account.id}, not ${accountId}`);
    if (!isPlanId(account.plan)) say(`account has unknown plan "${account.plan}"`);
    else {
      // An unlimited plan has no userLimit attribute: the create condition relies on that.
      const limit = userLimitOf(account.plan);
      if ((account.userLimit ?? null) !== limit) {
        say(`userLimit is ${account.userLimit ?? 'absent'} but plan ${account.plan} says ${limit}`);
      }
    }
    const admins = [...users.values()].filter((u) => u.admin === true).length;
    if (account.userCount !== users.size) {
      say(`userCount is ${account.userCount} but ${users.size} users exist`);
    }
    if (account.adminCount !== admins) {
      say(`adminCount is ${account.adminCount} but ${admins} admins exist`);
    }
    if (admins < 1) say('the account has no admin');
    const slug = await getItem(keys.slug(account.slug));
    if (slug?.accountId !== accountId) {
      say(`slug "${account.slug}" does not lead to this account`);
    }
  }

  const byName = keys.usersByName(accountId);
  for (const [id, user] of users) {
    const who = `user ${id} (${user.username})`;
    if (user.id !== id) say(`${who} is stored under another id's key`);
    if (user.accountId !== accountId) say(`${who} names account ${user.accountId}`);
    if (typeof user.admin !== 'boolean') say(`${who} has a non-boolean admin flag`);
    if (typeof user.passwordHash !== 'string' || !user.passwordHash.startsWith('$2')) {
      say(`${who} has no bcrypt password hash`);
    }
    if (user.usernameKey !== usernameKey(String(user.username))) {
      say(`${who} has usernameKey "${user.usernameKey}" that does not match its username`);
    }
    // Login finds users through this index entry: a stale one means an unreachable login.
    if (
      user.GSI1PK !== byName.GSI1PK ||
      user.GSI1SK !== keys.usersByName(accountId, user.usernameKey).GSI1SK
    ) {
      say(`${who} has index keys ${user.GSI1PK}/${user.GSI1SK} that do not match its username`);
    }
    const nameGuard = usernameGuards.get(keys.usernameGuard(accountId, user.usernameKey).SK);
    if (nameGuard?.userId !== id) say(`${who} has no username guard of its own`);
    if ((user.email === undefined) !== (user.emailKey === undefined)) {
      say(`${who} has an email without an emailKey or the other way round`);
    } else if (user.email !== undefined) {
      if (user.emailKey !== emailKey(user.email)) {
        say(`${who} has emailKey "${user.emailKey}" that does not match its email`);
      }
      const guard = emailGuards.get(keys.emailGuard(accountId, String(user.emailKey)).SK);
      if (guard?.userId !== id) say(`${who} has no email guard of its own`);
    }
  }

  for (const [sk, guard] of usernameGuards) {
    const user = users.get(String(guard.userId));
    if (!user) say(`username guard ${sk} points at missing user ${guard.userId}`);
    else if (keys.usernameGuard(accountId, user.usernameKey).SK !== sk) {
      say(`username guard ${sk} points at user ${user.id} whose username is ${user.username}`);
    }
  }
  for (const [sk, guard] of emailGuards) {
    const user = users.get(String(guard.userId));
    if (!user) say(`email guard ${sk} points at missing user ${guard.userId}`);
    else if (!user.emailKey || keys.emailGuard(accountId, user.emailKey).SK !== sk) {
      say(`email guard ${sk} points at user ${user.id} whose email is ${user.email ?? 'none'}`);
    }
  }

  for (const token of resetTokens) {
    const userId = idAfter(token.SK, PREFIX.resetToken);
    if (!users.has(userId)) say(`reset token ${token.SK} belongs to missing user ${userId}`);
    if (token.userId !== userId || token.accountId !== accountId) {
      say(`reset token ${token.SK} names user ${token.userId} of account ${token.accountId}`);
    }
  }
  for (const rate of resetRates) {
    const userId = idAfter(rate.SK, PREFIX.resetRate);
    if (!users.has(userId)) say(`reset rate ${rate.SK} belongs to missing user ${userId}`);
  }

  // Every user write carries its audit event in the same transaction, so the log must
  // account for every user that exists or existed.
  const created = new Map<string, AuditRow>();
  const deleted = new Set<string>();
  const newestWrite = new Map<string, string>();
  for (const event of audit) {
    if (typeof event.at !== 'string' || typeof event.action !== 'string') {
      say(`audit item ${event.SK} has no time or action`);
      continue;
    }
    if (keys.audit(accountId, event.at, String(event.id)).SK !== event.SK) {
      say(`audit item ${event.SK} is stored under a key that does not match its time and id`);
    }
    const target = event.target;
    if (target?.type !== 'user' || !target.id) continue;
    if (event.action === 'user.created') {
      if (created.has(target.id)) say(`user ${target.id} has two user.created events`);
      created.set(target.id, event);
    }
    if (event.action === 'user.deleted') deleted.add(target.id);
    if (USER_WRITES.has(event.action) && event.at > (newestWrite.get(target.id) ?? '')) {
      newestWrite.set(target.id, event.at);
    }
  }
  for (const [id, user] of users) {
    const who = `user ${id} (${user.username})`;
    if (!created.has(id)) say(`${who} has no user.created audit event`);
    if (deleted.has(id)) say(`${who} exists but has a user.deleted audit event`);
    const newest = newestWrite.get(id);
    if (newest !== undefined && newest < String(user.updatedAt)) {
      say(`${who} was last changed at ${user.updatedAt} but its newest audit event is ${newest}`);
    }
  }
  for (const [id, event] of created) {
    if (!users.has(id) && !deleted.has(id)) {
      say(`user ${id} (${event.target?.name}) is gone without a user.deleted audit event`);
    }
  }
  for (const id of deleted) {
    if (!created.has(id)) say(`user ${id} has a user.deleted event but no user.created event`);
  }
  return problems;
}

/** Check the account with this slug; throws AccountNotFoundError when there is none. */
export async function verifyAccountBySlug(slug: string): Promise<string[]> {
  const account = await getAccountBySlug(slug);
  if (!account) throw new AccountNotFoundError(slug);
  return verifyAccount(account.id);
}

/** The `{ok, problems}` report of the operator CLI. */
export async function verifyReport(slug: string): Promise<VerifyReport> {
  const problems = await verifyAccountBySlug(slug);
  return { ok: problems.length === 0, problems };
}
