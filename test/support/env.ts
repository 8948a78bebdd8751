/**
 * Runs before each test file: points lib/ at the run's DynamoDB Local and local SES. bcrypt
 * runs at cost 10 (the policy's floor) to keep the suite fast; production uses 11.
 */
import { inject } from 'vitest';
import { useLocalServices } from '../../infra/local/env.js';

const services = inject('services');
useLocalServices({
  dynamoEndpoint: services.dynamoEndpoint,
  sesEndpoint: services.sesEndpoint,
  tableName: services.tableName,
  appUrl: 'http://app.test',
  signingKeys: JSON.stringify({
    kid: 'test-1',
    secret: 'test-secret-test-secret-test-secret-0001',
  }),
});
process.env.BCRYPT_COST = '10';
process.env.FORGOT_PASSWORD_MIN_MS = '0';
process.env.LOG_LEVEL ??= 'SILENT';
