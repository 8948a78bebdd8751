/**
 * Hostile requests for any route of the route table, as fast-check arbitraries: arbitrary
 * JSON, wrong types, huge strings, unicode edge cases, path and query junk, tampered cursors
 * and forged or stolen tokens. Values that only exist at run time (ids, slugs, live tokens)
 * are symbolic (`{ $ref }`) and resolved against a World just before each request, so a
 * counterexample prints readably and replays against the same world.
 */
import { createHmac } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import * as z from 'zod/mini';
import { config } from '../../lib/config.js';
import { CONTRACT, type RouteContract } from '../../lib/contract.js';
import { db } from '../../lib/db.js';
import { keys } from '../../lib/keys.js';
import { ROUTES, type RouteDef } from '../../lib/routes.js';
import { signingKeys } from '../../lib/signing-keys.js';
import { issueToken } from '../../lib/tokens.js';
import { type Call, directAccount, invoke } from './invoke.js';

export type Ref =
  | 'victimSlug'
  | 'attackerSlug'
  | 'victimAdminId'
  | 'victimUserId'
  | 'victimEmployeeId'
  | 'attackerAdminId'
  | 'victimUserName'
  | 'victimUserEmail'
  | 'victimAdminPassword'
  | 'victimUserPassword'
  | 'victimUsersCursor'
  | 'victimAuditCursor'
  | 'victimEmployeesCursor'
  | 'attackerUsersCursor';

export type Sym = { $ref: Ref };

/** How a request presents itself: no token, a real one, or one of many forgeries. */
export type TokenKind =
  | 'none'
  | 'victim-admin'
  | 'victim-admin-padded'
  | 'victim-user'
  | 'attacker-admin'
  | 'alg-none'
  | 'alg-hs512'
  | 'alg-rs256-hmac'
  | 'wrong-key'
  | 'wrong-iss'
  | 'wrong-aud'
  | 'expired'
  | 'no-kid'
  | 'unknown-kid'
  | 'revoked'
  | 'confused-claims'
  | 'bit-flipped'
  | 'lowercase-scheme'
  | 'basic-scheme'
  | 'two-tokens'
  | 'garbage';

/** Tokens that a correct service accepts as the victim's own callers. */
export const VICTIM_TOKENS: TokenKind[] = ['victim-admin', 'victim-admin-padded', 'victim-user'];
/** Tokens that are valid, just not the victim's. */
export const OTHER_VALID_TOKENS: TokenKind[] = ['attacker-admin'];

export type HostileRequest = {
  token: { kind: TokenKind; n: number; junk: string };
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body:
    | { kind: 'none' }
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; text: string }
    | { kind: 'base64'; bytes: number[] };
  contentType?: string;
};

export type Party = {
  slug: string;
  accountId: string;
  adminId: string;
  password: string;
};

/** The victim and attacker accounts one route is fuzzed against, and their live values. */
export type World = {
  victim: Party & { userId: string; userName: string; userEmail: string; userPassword: string };
  attacker: Party;
  refs: Record<Ref, string>;
  /** Issue current tokens (after writes that may have signed someone out). */
  refresh(): Promise<void>;
  /** Put both admins and the victim's user back to usable (no forced password change). */
  heal(): Promise<void>;
  header(token: HostileRequest['token']): Promise<string | undefined>;
};

const USER_PASSWORD = 'Victim-user-pass-1';

/** Make a victim (admin, user, employees when the plan has them) and an attacker. */
export async function makeWorld(): Promise<World> {
  const victimAcct = await directAccount('cloud-pro', 'fzv');
  const attacker = await directAccount('cloud-pro', 'fza');
  const userEmail = `victim.${victimAcct.slug}@fuzz.test`;
  const created = await invoke('users-create', {
    token: victimAcct.token,
    body: { username: 'victim-user', password: 'Victim-temp-pass-1', email: userEmail },
  });
  const login = await invoke('login', {
    body: { account: victimAcct.slug, username: 'victim-user', password: 'Victim-temp-pass-1' },
  });
  await invoke('me-password', {
    token: login.body.accessToken,
    body: { currentPassword: 'Victim-temp-pass-1', newPassword: USER_PASSWORD },
  });
  await invoke('users-create', {
    token: attacker.token,
    body: { username: 'attacker-user', password: 'Attacker-temp-pass-1' },
  });
  const victim = {
    ...victimAcct,
    userId: created.body.id as string,
    userName: 'victim-user',
    userEmail,
    userPassword: USER_PASSWORD,
  };

  // Employees, where the route table has them (added by another feature; optional here).
  let employeeId = 'no-employee';
  let employeesCursor = 'no-cursor';
  if ('employees-create' in ROUTES) {
    for (const name of ['Émile Zola', 'Ada Lovelace']) {
      const e = await invoke('employees-create', { token: victim.token, body: { name } });
      if (e.status === 201) employeeId = e.body.id;
    }
    const page = await invoke('employees-list', { token: victim.token, query: { limit: '1' } });
    employeesCursor = page.body?.nextCursor ?? employeesCursor;
  }
  const cursor = async (id: string, token: string) =>
    ((await invoke(id, { token, query: { limit: '1' } })).body?.nextCursor as string) ??
    'no-cursor';

  const refs: Record<Ref, string> = {
    victimSlug: victim.slug,
    attackerSlug: attacker.slug,
    victimAdminId: victim.adminId,
    victimUserId: victim.userId,
    victimEmployeeId: employeeId,
    attackerAdminId: attacker.adminId,
    victimUserName: victim.userName,
    victimUserEmail: userEmail,
    victimAdminPassword: victim.password,
    victimUserPassword: USER_PASSWORD,
    victimUsersCursor: await cursor('users-list', victim.token),
    victimAuditCursor: await cursor('audit-log', victim.token),
    victimEmployeesCursor: employeesCursor,
    attackerUsersCursor: await cursor('users-list', attacker.token),
  };

  const { current } = await signingKeys();
  const issue = async (accountId: string, userId: string) => {
    const tv = ((await userItem(accountId, userId))?.tokenVersion as number) ?? 0;
    return (await issueToken({ userId, accountId, tokenVersion: tv })).accessToken;
  };
  const live = { victimAdmin: '', victimUser: '', attackerAdmin: '' };
  const refresh = async () => {
    live.victimAdmin = await issue(victim.accountId, victim.adminId);
    live.victimUser = await issue(victim.accountId, victim.userId);
    live.attackerAdmin = await issue(attacker.accountId, attacker.adminId);
  };
  await refresh();

  /** Sign claims with a chosen header and key (forgeries a holder of the key could make). */
  const sign = async (
    claims: { sub: string; acc: string; tv: number; iss?: string; aud?: string; exp?: number },
    header: { alg: 'HS256'; kid?: string },
    key: Uint8Array = current.key,
  ) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ acc: claims.acc, tv: claims.tv })
      .setProtectedHeader({ ...header, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(claims.iss ?? config.tokenIssuer)
      .setAudience(claims.aud ?? config.tokenAudience)
      .setIssuedAt(now - 10)
      .setExpirationTime(claims.exp ?? now + 600)
      .sign(key);
  };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const victimClaims = { sub: victim.adminId, acc: victim.accountId, tv: 0 };

  const header = async ({ kind, n, junk }: HostileRequest['token']) => {
    const tv = async () =>
      ((await userItem(victim.accountId, victim.adminId))?.tokenVersion as number) ?? 0;
    const claims = async () => ({
      sub: victim.adminId,
      acc: victim.accountId,
      tv: await tv(),
      iss: config.tokenIssuer,
      aud: config.tokenAudience,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    /** Sign by hand with the real key under another algorithm's name. */
    const swapped = async (alg: string, hmac: 'sha256' | 'sha512') => {
      const head = b64({ alg, kid: current.kid, typ: 'JWT' });
      const payload = b64(await claims());
      const sig = createHmac(hmac, current.key).update(`${head}.${payload}`).digest('base64url');
      return `Bearer ${head}.${payload}.${sig}`;
    };
    switch (kind) {
      case 'none':
        return undefined;
      case 'victim-admin':
        return `Bearer ${live.victimAdmin}`;
      case 'victim-admin-padded':
        return `  Bearer ${live.victimAdmin}  `;
      case 'victim-user':
        return `Bearer ${live.victimUser}`;
      case 'attacker-admin':
        return `Bearer ${live.attackerAdmin}`;
      case 'alg-none':
        return `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(await claims())}.`;
      case 'alg-hs512':
        return swapped('HS512', 'sha512');
      case 'alg-rs256-hmac':
        // The classic confusion: an asymmetric alg in the header, an HMAC with the secret.
        return swapped('RS256', 'sha256');
      case 'wrong-key':
        return `Bearer ${await sign({ ...victimClaims, tv: await tv() }, { alg: 'HS256', kid: current.kid }, new Uint8Array(32).fill(n % 256))}`;
      case 'wrong-iss':
        return `Bearer ${await sign({ ...victimClaims, tv: await tv(), iss: 'someone-else' }, { alg: 'HS256', kid: current.kid })}`;
      case 'wrong-aud':
        return `Bearer ${await sign({ ...victimClaims, tv: await tv(), aud: 'another-app' }, { alg: 'HS256', kid: current.kid })}`;
      case 'expired':
        return `Bearer ${await sign({ ...victimClaims, tv: await tv(), exp: Math.floor(Date.now() / 1000) - 1 - (n % 100_000) }, { alg: 'HS256', kid: current.kid })}`;
      case 'no-kid':
        return `Bearer ${await sign({ ...victimClaims, tv: await tv() }, { alg: 'HS256' })}`;
      case 'unknown-kid':
        return `Bearer ${await sign({ ...victimClaims, tv: await tv() }, { alg: 'HS256', kid: `${current.kid}-x` })}`;
      case 'revoked':
        return `Bearer ${await sign({ ...victimClaims, tv: (await tv()) - 1 - (n % 3) }, { alg: 'HS256', kid: current.kid })}`;
      case 'confused-claims':
        // The attacker's user id under the victim's account id, correctly signed.
        return `Bearer ${await sign({ sub: attacker.adminId, acc: victim.accountId, tv: 0 }, { alg: 'HS256', kid: current.kid })}`;
      case 'bit-flipped':
        return `Bearer ${flip(live.victimAdmin, n)}`;
      case 'lowercase-scheme':
        return `bearer ${live.victimAdmin}`;
      case 'basic-scheme':
        return `Basic ${Buffer.from(`admin:${victim.password}`).toString('base64')}`;
      case 'two-tokens':
        return `Bearer ${live.victimAdmin} ${live.victimAdmin}`;
      case 'garbage':
        return junk;
    }
  };

  const heal = async () => {
    for (const [accountId, userId] of [
      [victim.accountId, victim.adminId],
      [victim.accountId, victim.userId],
      [attacker.accountId, attacker.adminId],
    ] as const) {
      await db()
        .send(
          new UpdateCommand({
            TableName: config.tableName,
            Key: keys.user(accountId, userId),
            UpdateExpression: 'SET mustChangePassword = :f',
            ConditionExpression: 'attribute_exists(PK) AND mustChangePassword = :t',
            ExpressionAttributeValues: { ':f': false, ':t': true },
          }),
        )
        .catch((err: Error) => {
          if (err.name !== 'ConditionalCheckFailedException') throw err;
        });
    }
    await refresh();
  };

  return { victim, attacker, refs, refresh, heal, header };
}

/** A user item straight from the table (the token version a live token must carry). */
async function userItem(accountId: string, userId: string) {
  const out = await db().send(
    new GetCommand({
      TableName: config.tableName,
      Key: keys.user(accountId, userId),
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Change one character of a JWT so the bytes it stands for change: never the last character
 * of a segment, whose low bits base64url may ignore (that flip would change nothing).
 */
export function flip(token: string, n: number): string {
  const positions = [...token].flatMap((c, i) =>
    c !== '.' && token[i + 1] !== undefined && token[i + 1] !== '.' ? [i] : [],
  );
  const at = positions[n % positions.length] ?? 0;
  const old = B64URL.indexOf(token[at] ?? 'A');
  const next = B64URL[(old + 1 + (n % 63)) % 64] as string;
  return token.slice(0, at) + next + token.slice(at + 1);
}

/** Replace every `{ $ref }` in a value by the world's current value. */
export function resolve(value: unknown, world: World): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, world));
  if (value && typeof value === 'object') {
    if ('$ref' in value && Object.keys(value).length === 1) {
      return world.refs[(value as Sym).$ref];
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, world)]));
  }
  return value;
}

/** Turn a hostile request into a handler call against the world. */
export async function toCall(req: HostileRequest, world: World): Promise<Call> {
  const headers: Record<string, string> = {};
  const auth = await world.header(req.token);
  if (auth !== undefined) headers.authorization = auth;
  if (req.contentType !== undefined) headers['content-type'] = req.contentType;
  const str = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  const dict = (d?: Record<string, unknown>) =>
    d
      ? Object.fromEntries(Object.entries(resolve(d, world) as object).map(([k, v]) => [k, str(v)]))
      : undefined;
  const call: Call = { headers };
  const params = dict(req.params);
  if (params) call.params = params;
  const query = dict(req.query);
  if (query) call.query = query;
  if (req.body.kind === 'json') call.raw = JSON.stringify(resolve(req.body.value, world));
  if (req.body.kind === 'raw') call.raw = req.body.text;
  if (req.body.kind === 'base64') {
    call.raw = Buffer.from(req.body.bytes).toString('base64');
    call.isBase64Encoded = true;
  }
  return call;
}

// ---- arbitraries ----

const ref = (...names: Ref[]) => fc.constantFrom(...names).map((name): Sym => ({ $ref: name }));

/** Characters that break naive code: lone surrogates, NUL, controls, bidi, look-alikes. */
const nastyChar = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(
    '\u0000',
    '\u0007',
    '\b',
    '\n',
    '\r',
    '\t',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u00a0',
    '\u200b',
    '\u200d',
    '\u200e',
    '\u200f',
    '\u202a',
    '\u202e',
    '\u2066',
    '\u2028',
    '\u2029',
    '\ufeff',
    '\ufffd',
    '\uffff',
    'а', // Cyrillic a
    'е', // Cyrillic e
    'о', // Cyrillic o
    'ɑ',
    'Ａ', // fullwidth
    'K', // Kelvin sign, lower-cases to k
    'İ', // lower-cases to two code points
    'ß',
    'ﬀ',
    'e\u0301',
    '👩‍💻',
    '🏳️‍🌈',
    '#',
    '%',
    '%23',
    '%25',
    '%00',
    '/',
    '\\',
    '..',
    '"',
    "'",
    '<',
    '>',
    '&',
    '{',
    '}',
    '$',
    '@',
    '.',
    '_',
    '-',
  ),
);

const nastyString = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: nastyChar },
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  ),
  maxLength: 80,
});

/** Strings that are hostile as values: key splicing, injections, edges of every limit. */
const hostileString = fc.oneof(
  { weight: 6, arbitrary: nastyString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'admin',
      'ADMIN',
      'Admin ',
      'аdmin',
      'ad\u0000min',
      '\u202eadmin',
      'admin\u200b',
      'ＡＤＭＩＮ',
      'victim-user',
      'VICTIM-USER',
      'USER#x',
      'ACCOUNT#x',
      'a#b',
      'x%23y',
      '../../etc/passwd',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, as typed
      '${jndi:ldap://x}',
      '<script>alert(1)</script>',
      "' OR '1'='1",
      '{"$ne":null}',
      '__proto__',
      'constructor',
      'null',
      'undefined',
      'NaN',
      '-1',
      '0',
      '1e309',
      'password',
      'Password123',
      'Fuzz-valid-pass-1',
      'Another-valid-pass-2',
      'new.user',
      'new@fuzz.test',
      'NEW@FUZZ.TEST',
      'not-an-email',
      'a@b',
      'eyJhbGciOiJub25lIn0.e30.',
      'a'.repeat(64),
      'a'.repeat(65),
      'ü'.repeat(36),
      'ü'.repeat(37),
      'x'.repeat(72),
      'x'.repeat(73),
      'x'.repeat(256),
      'x'.repeat(257),
      'x'.repeat(1024),
      'x'.repeat(1025),
      'x'.repeat(2049),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: nastyChar, minLength: 500, maxLength: 3000 }),
  },
);

/** A value as it may appear in a JSON body: right type, wrong type, or a live reference. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  {
    weight: 3,
    arbitrary: ref(
      'victimSlug',
      'attackerSlug',
      'victimAdminId',
      'victimUserId',
      'attackerAdminId',
      'victimUserName',
      'victimUserEmail',
      'victimAdminPassword',
      'victimUserPassword',
    ),
  },
  { weight: 1, arbitrary: fc.boolean() },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, 1e308)),
  },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, fc.integer()), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, hostileString, { maxKeys: 3 }) },
);

/** Field names of every body in the contract (and some it never had), for near-valid bodies. */
const FIELDS = [
  'account',
  'username',
  'password',
  'email',
  'admin',
  'token',
  'newPassword',
  'currentPassword',
  'name',
  'plan',
  'id',
  'role',
  'userCount',
  'accountId',
  '__proto__',
];

const fieldName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 1, arbitrary: nastyString },
);

const body: fc.Arbitrary<HostileRequest['body']> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .dictionary(fieldName, hostileValue, { minKeys: 0, maxKeys: 5 })
      .map((value) => ({ kind: 'json' as const, value })),
  },
  {
    weight: 2,
    arbitrary: fc.jsonValue().map((value) => ({ kind: 'json' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        nastyString,
        fc.constantFrom('{', '{"a":', '[1,2', "{'a':1}", '{"a":1}}', 'null', '"x"', '\u0000{}'),
      )
      .map((text) => ({ kind: 'raw' as const, text })),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(64 * 1024 - 20, 64 * 1024 + 1, 200_000)
      .map((n) => ({ kind: 'json' as const, value: { username: 'x'.repeat(n) } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 64 })
      .map((b) => ({ kind: 'base64' as const, bytes: [...b] })),
  },
);

const cursorValue = fc.oneof(
  ref('victimUsersCursor', 'victimAuditCursor', 'victimEmployeesCursor', 'attackerUsersCursor'),
  hostileString,
  // Well-formed but unsigned or re-signed-looking cursors: body.sig with junk.
  fc
    .tuple(fc.jsonValue(), fc.base64String({ maxLength: 24 }))
    .map(([v, sig]) => `${Buffer.from(JSON.stringify(v) ?? '').toString('base64url')}.${sig}`),
);

const queryValue = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.constantFrom('1', '50', '100', '101', '0', '-5', '1.5', '1e2', ' 7', 'abc', ''),
  },
  { weight: 2, arbitrary: cursorValue },
);

const query = fc.option(
  fc.dictionary(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('limit', 'cursor', 'q', 'token') },
      { weight: 1, arbitrary: nastyString },
    ),
    queryValue,
    { maxKeys: 4 },
  ),
  { nil: undefined },
);

const idValue = fc.oneof(
  {
    weight: 4,
    arbitrary: ref('victimAdminId', 'victimUserId', 'victimEmployeeId', 'attackerAdminId'),
  },
  { weight: 3, arbitrary: hostileString },
);

const TOKEN_KINDS: TokenKind[] = [
  'none',
  'victim-admin',
  'victim-admin-padded',
  'victim-user',
  'attacker-admin',
  'alg-none',
  'alg-hs512',
  'alg-rs256-hmac',
  'wrong-key',
  'wrong-iss',
  'wrong-aud',
  'expired',
  'no-kid',
  'unknown-kid',
  'revoked',
  'confused-claims',
  'bit-flipped',
  'lowercase-scheme',
  'basic-scheme',
  'two-tokens',
  'garbage',
];

const token = fc.record({
  kind: fc.oneof(
    // The victim's own tokens often, so bodies and paths get past authentication.
    { weight: 6, arbitrary: fc.constantFrom<TokenKind>('victim-admin', 'victim-user') },
    { weight: 2, arbitrary: fc.constant<TokenKind>('attacker-admin') },
    { weight: 6, arbitrary: fc.constantFrom(...TOKEN_KINDS) },
  ),
  n: fc.nat(),
  junk: fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 300 })),
});

/** Values a field of that name would accept, so near-valid requests get past validation. */
const PLAUSIBLE: Record<string, fc.Arbitrary<unknown>> = {
  account: ref('victimSlug', 'attackerSlug'),
  username: fc.oneof(
    ref('victimUserName'),
    fc.constantFrom('admin', 'ADMIN', 'new.user', 'Fresh_user-1', 'a@b.c'),
  ),
  password: fc.oneof(ref('victimAdminPassword'), fc.constantFrom('Fuzz-valid-pass-1', 'short')),
  currentPassword: ref('victimAdminPassword', 'victimUserPassword'),
  newPassword: fc.constantFrom('Fuzz-valid-pass-1', 'Another-valid-pass-2', 'password123'),
  email: fc.oneof(ref('victimUserEmail'), fc.constantFrom('new@fuzz.test', 'NEW@fuzz.test', null)),
  admin: fc.boolean(),
  name: fc.constantFrom('Grace Hopper', 'Émile Zola', ' ', 'x'.repeat(100)),
  token: fc.oneof(
    fc.base64String({ minLength: 40, maxLength: 44 }).map((t) => t.replace(/[+/=]/g, '_')),
    fc.constant('A'.repeat(43)),
  ),
  limit: fc.constantFrom('1', '2', '50', '100'),
  cursor: ref('victimUsersCursor', 'victimAuditCursor', 'victimEmployeesCursor'),
  q: fc.constantFrom('vic', 'ADM', 'a', ''),
};

/**
 * Field names a route's request schema knows (from lib/requests.ts, the schemas the
 * middleware validates with), so near-valid requests use them; empty when it has none.
 */
function fieldsOf(id: string, part: 'body' | 'query'): string[] {
  const schema = (CONTRACT as Record<string, RouteContract>)[id]?.request()[part];
  if (!schema) return [];
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as any;
    const names = new Set<string>();
    const walk = (node: any) => {
      if (!node || typeof node !== 'object') return;
      for (const name of Object.keys(node.properties ?? {})) names.add(name);
      for (const sub of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) {
        walk(sub);
      }
    };
    walk(json);
    return [...names];
  } catch {
    return [];
  }
}

/** A record over the given fields: each one absent, plausible, or hostile. */
function nearValid(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    Object.fromEntries(
      fields.map((f) => [
        f,
        fc.oneof(
          { weight: 4, arbitrary: PLAUSIBLE[f] ?? hostileValue },
          { weight: 1, arbitrary: hostileValue },
        ),
      ]),
    ),
    { requiredKeys: [] },
  );
}

/** Hostile requests for one route (params only where its path has them). */
export function hostileRequest(route: RouteDef & { id: string }): fc.Arbitrary<HostileRequest> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const bodyFields = fieldsOf(route.id, 'body');
  const queryFields = fieldsOf(route.id, 'query');
  const routeBody: fc.Arbitrary<HostileRequest['body']> = fc.oneof(
    // Bodies shaped like the route's own, with some fields plausible and some hostile.
    {
      weight: bodyFields.length ? 6 : 0,
      arbitrary: nearValid(bodyFields).map((value) => ({ kind: 'json' as const, value })),
    },
    // Routes without a body mostly get none, as real clients send.
    { weight: bodyFields.length ? 0 : 6, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 4, arbitrary: body },
  );
  const routeQuery = fc.oneof(
    { weight: queryFields.length ? 4 : 0, arbitrary: nearValid(queryFields) },
    { weight: queryFields.length ? 0 : 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: query },
  );
  return fc.record(
    {
      token,
      params: fc.record(Object.fromEntries(names.map((n) => [n, idValue]))),
      query: routeQuery,
      body: routeBody,
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ),
    },
    { requiredKeys: ['token', 'body', ...(names.length ? ['params' as const] : [])] },
  ) as fc.Arbitrary<HostileRequest>;
}
