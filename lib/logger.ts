import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger (JSON, Powertools). Nothing that could hold a secret is ever
 * passed to it: no bodies, no headers, no tokens, no reset links.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'capptro-user-management',
});
