import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { config } from '../lib/config.js';
import { httpHandler } from '../lib/http/middleware.js';
import { requestReset } from '../lib/reset.js';
import { email, username } from '../lib/schemas.js';

const account = z.string().min(1).max(64);
const body = z.union([z.strictObject({ account, username }), z.strictObject({ account, email })]);

export const handler = httpHandler('forgot-password', { body }, async ({ body }) => {
  const started = Date.now();
  await requestReset(body);
  // Answer no sooner than the configured floor, so a known user (who costs a write and an
  // email) does not answer measurably slower than an unknown one.
  const wait = started + config.forgotPasswordMinMs - Date.now();
  if (wait > 0) await sleep(wait);
  return { status: 202, body: {} };
});
