/**
 * Scheduled (hourly, EventBridge) removal of expired and used reset tokens. Throws on failure
 * so the schedule's retries and dead-letter queue see it.
 */
import { logger } from '../lib/logger.js';
import { cleanupResetTokens } from '../lib/reset-cleanup.js';

export const handler = async () => {
  const result = await cleanupResetTokens();
  logger.info('reset token cleanup', result);
  return result;
};
