/**
 * Deployment configuration, read from CDK context (`cdk.json`, or `-c key=value` on the command
 * line). Every key has a default, so `cdk synth` works with none given. Values given with `-c`
 * arrive as strings, hence the coercion.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod/mini';
import '../lib/zod-messages.js';

const RETENTIONS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/** A number given as one (cdk.json) or as a string (`-c key=value`). */
const count = (...checks: z.core.$ZodCheck<number>[]) => z.coerce.number().check(...checks);

const schema = z.object({
  /** Names the stack (`capptro-users-<stage>`), so several stages fit in one account. */
  stage: z._default(
    z
      .string()
      .check(z.regex(/^[a-z][a-z0-9-]{0,19}$/, 'lower-case letters, digits and -, at most 20')),
    'prod',
  ),
  /** The web app's origin: the only CORS origin, and the host of reset links. */
  appUrl: z._default(z.url({ protocol: /^https?$/ }), 'https://app.capptro.example'),
  /** Sender of every email; must be an address of `mailDomain`. */
  mailFrom: z._default(z.email(), 'no-reply@capptro.example'),
  /** Domain verified as an SES identity (the stack outputs its DKIM records). */
  mailDomain: z._default(
    z.string().check(z.regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain name')),
    'capptro.example',
  ),
  /** Who gets alarm emails; empty: the topic is created without a subscription. */
  alarmEmail: z._default(z.union([z.literal(''), z.email()]), ''),
  throttleRateLimit: z._default(count(z.positive()), 50),
  throttleBurstLimit: z._default(count(z.int(), z.positive()), 100),
  logRetentionDays: z._default(
    count(
      z.refine(
        (days) => RETENTIONS.has(days),
        'a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, …)',
      ),
    ),
    30,
  ),
  tokenTtlSeconds: z._default(count(z.int(), z.minimum(60)), 3600),
  resetTokenTtlMinutes: z._default(count(z.int(), z.minimum(5)), 60),
  /** bcrypt cost; lib/ never goes below 10 whatever this says. */
  bcryptCost: z._default(count(z.int(), z.minimum(10), z.maximum(15)), 11),
});

export type ServiceConfig = Omit<z.infer<typeof schema>, 'logRetentionDays'> & {
  readonly logRetention: RetentionDays;
};

export const CONTEXT_KEYS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

/** Read and check the configuration from a construct's context; throws one clear line. */
export function readConfig(node: Node): ServiceConfig {
  const raw = Object.fromEntries(
    CONTEXT_KEYS.map((key) => [key, node.tryGetContext(key) ?? undefined]),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid CDK context "${issue?.path.join('.')}": ${issue?.message}`);
  }
  const { logRetentionDays, ...rest } = result.data;
  if (!rest.mailFrom.toLowerCase().endsWith(`@${rest.mailDomain.toLowerCase()}`)) {
    throw new Error(
      `Invalid CDK context "mailFrom": ${rest.mailFrom} is not an address of mailDomain ${rest.mailDomain}`,
    );
  }
  return { ...rest, logRetention: logRetentionDays as RetentionDays };
}
