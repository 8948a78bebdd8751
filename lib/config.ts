/**
 * Configuration from the environment, read when asked (not at import) so tests and the local
 * stack can set it before first use. Deployed values come from the CDK stack.
 */
function env(name: string, fallback?: string): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`Missing configuration: ${name}`);
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`Configuration ${name} must be an integer`);
  return value;
}

export const config = {
  get tableName() {
    return env('TABLE_NAME', 'capptro-users');
  },
  /** Set for DynamoDB Local; unset in AWS. */
  get dynamoEndpoint() {
    return process.env.DYNAMODB_ENDPOINT || undefined;
  },
  get sesEndpoint() {
    return process.env.SES_ENDPOINT || undefined;
  },
  get region() {
    return env('AWS_REGION', 'eu-west-1');
  },
  /** Where the reset link points; never taken from a request. */
  get appUrl() {
    return env('APP_URL', 'http://localhost:3000').replace(/\/+$/, '');
  },
  get mailFrom() {
    return env('MAIL_FROM', 'Capptro <no-reply@capptro.local>');
  },
  /** bcrypt cost; 10 is the floor (see README "Passwords"). */
  get bcryptCost() {
    return Math.max(10, intEnv('BCRYPT_COST', 11));
  },
  get tokenTtlSeconds() {
    return intEnv('TOKEN_TTL_SECONDS', 3600);
  },
  get tokenIssuer() {
    return env('TOKEN_ISSUER', 'capptro-user-management');
  },
  get tokenAudience() {
    return env('TOKEN_AUDIENCE', 'capptro');
  },
  /** Secrets Manager secret holding the signing keys (deployed). */
  get signingSecretArn() {
    return process.env.SIGNING_SECRET_ARN || undefined;
  },
  /** Signing keys as JSON (local stack and tests); see lib/signing-keys.ts. */
  get signingKeysJson() {
    return process.env.SIGNING_KEYS || undefined;
  },
  get resetTokenTtlMinutes() {
    return intEnv('RESET_TOKEN_TTL_MINUTES', 60);
  },
  /** Forgot-password answers no sooner than this, so known and unknown users look alike. */
  get forgotPasswordMinMs() {
    return intEnv('FORGOT_PASSWORD_MIN_MS', 400);
  },
};
