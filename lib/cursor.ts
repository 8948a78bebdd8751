/**
 * Opaque list cursors: the position (a few key values) plus an HMAC over the position, the
 * list's name and the caller's account. A cursor edited by hand, or taken to another account
 * or another list, fails the check and answers 400 INVALID_CURSOR; keys are then rebuilt
 * from the caller's account, so a cursor can never point outside it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './errors.js';
import { signingKeys } from './signing-keys.js';

async function mac(list: string, accountId: string, body: string): Promise<Buffer> {
  const { current } = await signingKeys();
  return createHmac('sha256', current.key)
    .update(`cursor\0${list}\0${accountId}\0${body}`)
    .digest()
    .subarray(0, 16);
}

/** Encode a position in `list` of `accountId` as an opaque, signed string. */
export async function encodeCursor(
  list: string,
  accountId: string,
  position: Record<string, string>,
): Promise<string> {
  const body = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${body}.${(await mac(list, accountId, body)).toString('base64url')}`;
}

/** Decode a cursor made by encodeCursor for the same list and account, or throw. */
export async function decodeCursor(
  list: string,
  accountId: string,
  cursor: string,
): Promise<Record<string, string>> {
  const [body, sig, ...rest] = cursor.split('.');
  if (!body || !sig || rest.length > 0) throw new InvalidCursorError();
  const expected = await mac(list, accountId, body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidCursorError();
  }
  try {
    const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
    for (const v of Object.values(value)) if (typeof v !== 'string') throw new Error();
    return value as Record<string, string>;
  } catch {
    throw new InvalidCursorError();
  }
}
