import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';

describe('list cursors', () => {
  it('round-trips a position', async () => {
    const c = await encodeCursor('users', 'acct-1', { k: 'bob', id: 'u2' });
    await expect(decodeCursor('users', 'acct-1', c)).resolves.toEqual({ k: 'bob', id: 'u2' });
  });

  it('refuses a cursor taken to another account or list', async () => {
    const c = await encodeCursor('users', 'acct-1', { k: 'bob', id: 'u2' });
    await expect(decodeCursor('users', 'acct-2', c)).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    await expect(decodeCursor('audit', 'acct-1', c)).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('refuses an edited position', async () => {
    const c = await encodeCursor('users', 'acct-1', { k: 'bob', id: 'u2' });
    const [, sig] = c.split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: 'alice', id: 'u1' })).toString('base64url')}.${sig}`;
    await expect(decodeCursor('users', 'acct-1', forged)).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('refuses junk', async () => {
    for (const junk of ['x', 'a.b', 'a.b.c', '.', '%%%']) {
      await expect(decodeCursor('users', 'acct-1', junk)).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      });
    }
  });
});
