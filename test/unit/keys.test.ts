import { describe, expect, it } from 'vitest';
import { createTableInput, keys, seg, TABLE } from '../../lib/keys.js';

describe('table keys', () => {
  it('escapes the separator so a value with # stays one segment', () => {
    expect(seg('a#b')).toBe('a%23b');
    expect(seg('100%')).toBe('100%25');
    // Escaping is injective: a pre-escaped value cannot impersonate an escaped one.
    expect(seg('a%23b')).not.toBe(seg('a#b'));
  });

  it('gives usernames that look like key fragments keys of their own', () => {
    const a = keys.usernameGuard('acct', 'x#USER#y');
    const b = keys.user('acct', 'y');
    expect(a.SK).toBe('USERNAME#x%23USER%23y');
    expect(a.SK).not.toBe(b.SK);
    expect(keys.usernameGuard('acct', 'a#b')).not.toEqual(keys.usernameGuard('acct#a', 'b'));
  });

  it('keeps every tenant key under its own account partition', () => {
    for (const key of [
      keys.account('A'),
      keys.user('A', 'u'),
      keys.usernameGuard('A', 'n'),
      keys.emailGuard('A', 'e'),
      keys.employee('A', 'e'),
      keys.audit('A', '2026-01-01T00:00:00.000Z', 'id'),
      keys.resetToken('A', 'u'),
      keys.resetRate('A', 'u'),
    ]) {
      expect(key.PK).toBe('ACCOUNT#A');
    }
    expect(keys.usersByName('A').GSI1PK.startsWith('ACCOUNT#A#')).toBe(true);
    expect(keys.employeesByName('A').GSI1PK.startsWith('ACCOUNT#A#')).toBe(true);
  });

  it('sorts employees with the same name apart by id', () => {
    const a = keys.employeesByName('A', 'sam', 'id1').GSI1SK;
    const b = keys.employeesByName('A', 'sam', 'id2').GSI1SK;
    expect(a).not.toBe(b);
    expect(a! < b!).toBe(true);
  });

  it('describes the same key schema and indexes the CDK table uses', () => {
    const input = createTableInput('t');
    expect(input.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(
      Object.keys(TABLE.indexes).sort(),
    );
  });
});
