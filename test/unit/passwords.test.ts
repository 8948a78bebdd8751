import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertStrongPassword, COMMON_PASSWORDS_FILE } from '../../lib/password-policy.js';
import { hashPassword, temporaryPassword, verifyPassword } from '../../lib/passwords.js';
import { commonPasswordsText } from '../../scripts/common-passwords.js';

describe('password policy', () => {
  it('refuses fewer than 8 characters', async () => {
    await expect(assertStrongPassword('Ab1-xyz')).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
  });

  it('counts characters, not bytes, for the minimum', async () => {
    await expect(assertStrongPassword('ÿÿÿÿÿÿÿ1')).resolves.toBeUndefined();
  });

  it('refuses more than 72 UTF-8 bytes instead of truncating', async () => {
    await expect(assertStrongPassword('é'.repeat(37))).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
    });
    await expect(assertStrongPassword(`${'x'.repeat(71)}1`)).resolves.toBeUndefined();
  });

  it('refuses the username, in any case', async () => {
    await expect(assertStrongPassword('Alice.Smith', 'alice.smith')).rejects.toMatchObject({
      code: 'WEAK_PASSWORD',
    });
  });

  it('refuses common passwords from the shipped list', async () => {
    for (const p of ['password', 'Password1', 'qwertyuiop', 'iloveyou', '12345678']) {
      await expect(assertStrongPassword(p), p).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    }
  });

  it('ships the list npm run common-passwords writes from zxcvbn-ts', () => {
    expect(readFileSync(COMMON_PASSWORDS_FILE, 'utf8')).toBe(commonPasswordsText());
  });

  it('accepts an uncommon password', async () => {
    await expect(assertStrongPassword('violet-harbour-73')).resolves.toBeUndefined();
  });

  it('generates temporary passwords that pass the policy', async () => {
    await expect(assertStrongPassword(temporaryPassword())).resolves.toBeUndefined();
  });
});

describe('hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('violet-harbour-73');
    expect(hash).toMatch(/^\$2[aby]\$1\d\$/);
    expect(await verifyPassword('violet-harbour-73', hash)).toBe(true);
    expect(await verifyPassword('violet-harbour-74', hash)).toBe(false);
  });

  it('never accepts a password that only shares the first 72 bytes', async () => {
    const long = 'a'.repeat(72);
    const hash = await hashPassword(long);
    expect(await verifyPassword(`${long}extra`, hash)).toBe(false);
  });

  it('answers false for an unknown user after a real comparison', async () => {
    expect(await verifyPassword('anything-at-all', undefined)).toBe(false);
  });
});
