/**
 * `npm run common-passwords`: write lib/common-passwords.txt, the list the password policy
 * refuses, from zxcvbn-ts' common-password list (a dev dependency: only this file ships).
 * The entries long enough to pass the length rule, lower-cased, once each, sorted.
 */
import { writeFileSync } from 'node:fs';
import list from '@zxcvbn-ts/language-common/dist/passwords.json.mjs';
import { COMMON_PASSWORDS_FILE, MIN_CHARS } from '../lib/password-policy.js';

export function commonPasswordsText(): string {
  const entries = new Set(
    (list as string[]).filter((p) => [...p].length >= MIN_CHARS).map((p) => p.toLowerCase()),
  );
  return `${[...entries].sort().join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(COMMON_PASSWORDS_FILE, commonPasswordsText());
  console.log(`Wrote ${COMMON_PASSWORDS_FILE.pathname}`);
}
