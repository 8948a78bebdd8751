import { setTimeout as sleep } from 'node:timers/promises';
import { config } from '../lib/config.js';
import { publicHandler } from '../lib/http/middleware.js';
import * as requests from '../lib/requests.js';
import { requestReset } from '../lib/reset-request.js';

export const handler = publicHandler(
  'forgot-password',
  requests.forgotPassword,
  async ({ body }) => {
    const started = Date.now();
    await requestReset(body);
    // Answer no sooner than the configured floor, so a known user (who costs a write and an
    // email) does not answer measurably slower than an unknown one.
    const wait = started + config.forgotPasswordMinMs - Date.now();
    if (wait > 0) await sleep(wait);
    return { status: 202, body: {} };
  },
);
