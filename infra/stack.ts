/**
 * The whole service in one stack, generated from the route table (lib/routes.ts) and the key
 * schema (lib/keys.ts): a route added there gets its function, role, API route and alarms here
 * with no edit to this file.
 */
import { CfnOutput, Duration, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  JOBS,
  type JobId,
  needsSigningKey,
  type RouteDef,
  type RouteId,
  routeList,
} from '../lib/routes.js';
import { bundleFiles, functionEnvironment } from './bundling.js';
import type { ServiceConfig } from './config.js';
import { ServiceAlarms } from './constructs/alarms.js';
import { CleanupSchedule } from './constructs/cleanup-schedule.js';
import { ServiceApi } from './constructs/http-api.js';
import { Mailer } from './constructs/mailer.js';
import { ServiceFunction } from './constructs/service-function.js';
import { ServiceTable } from './constructs/table.js';

export interface ServiceStackProps extends StackProps {
  readonly config: ServiceConfig;
}

/** `users-list` → `UsersList`: construct ids that read well as logical ids. */
const pascal = (id: string) =>
  id.replace(/(^|[^a-zA-Z0-9]+)([a-zA-Z0-9])/g, (_, _sep, c: string) => c.toUpperCase());

export class ServiceStack extends Stack {
  readonly table: ServiceTable;
  readonly signingSecret: Secret;
  readonly mailer: Mailer;
  readonly api: ServiceApi;
  /** One function per route, by route id. */
  readonly routeFunctions: Readonly<Record<RouteId, ServiceFunction>>;
  /** One function per scheduled job, by job id. */
  readonly jobFunctions: Readonly<Record<JobId, ServiceFunction>>;
  readonly schedules: Readonly<Record<JobId, CleanupSchedule>>;
  readonly alarms: ServiceAlarms;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('service', 'capptro-user-management');
    Tags.of(this).add('stage', config.stage);

    this.table = new ServiceTable(this, 'Data');
    const table = this.table.table;

    // The format lib/signing-keys.ts reads: {"kid", "secret", "previous"?: [...]}.
    this.signingSecret = new Secret(this, 'SigningKey', {
      description: 'HMAC keys that sign access tokens and list cursors (lib/signing-keys.ts)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ kid: 'k1' }),
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by hand with the documented two-key procedure (README "Rotating the signing ' +
        'key"): the old key moves to "previous" so no one is signed out. A rotation Lambda ' +
        'replacing the value would invalidate every live token at once.',
    });

    this.mailer = new Mailer(this, 'Mail', { domain: config.mailDomain });

    // Configuration only; the signing key's ARN is added per function, and only where needed.
    const environment = functionEnvironment({ ...config, tableName: table.tableName });
    const common = { environment, logRetention: config.logRetention };

    const routes = routeList();
    const routeFunctions = {} as Record<RouteId, ServiceFunction>;
    for (const route of routes) {
      routeFunctions[route.id] = new ServiceFunction(this, `${pascal(route.id)}Handler`, {
        ...common,
        name: route.id,
        description: `${route.method} ${route.path}`,
        memoryMb: route.memoryMb,
        files: bundleFiles(route),
        db: { table, actions: route.grants.db, indexes: route.grants.indexes },
        signingSecret: needsSigningKey(route) ? this.signingSecret : undefined,
        sendEmailAs: route.grants.email ? this.mailer.identityArn : undefined,
      });
    }
    this.routeFunctions = routeFunctions;

    this.api = new ServiceApi(this, 'Http', {
      routes: routes.map((route) => ({ ...route, handler: routeFunctions[route.id].fn })),
      appUrl: config.appUrl,
      throttleRateLimit: config.throttleRateLimit,
      throttleBurstLimit: config.throttleBurstLimit,
      logRetention: config.logRetention,
    });

    const jobFunctions = {} as Record<JobId, ServiceFunction>;
    const schedules = {} as Record<JobId, CleanupSchedule>;
    for (const [jobId, job] of Object.entries(JOBS) as [JobId, (typeof JOBS)[JobId]][]) {
      const grants: RouteDef['grants'] = job.grants;
      const fn = new ServiceFunction(this, `${pascal(jobId)}Job`, {
        ...common,
        name: jobId,
        description: `Scheduled job ${jobId} (${job.schedule})`,
        // Runs unattended over many items; a minute is ample and still bounded.
        timeout: Duration.minutes(1),
        db: { table, actions: grants.db, indexes: grants.indexes },
        signingSecret: grants.signingKey ? this.signingSecret : undefined,
        sendEmailAs: grants.email ? this.mailer.identityArn : undefined,
      });
      jobFunctions[jobId] = fn;
      schedules[jobId] = new CleanupSchedule(this, `${pascal(jobId)}Schedule`, {
        handler: fn.fn,
        schedule: job.schedule,
        description: `Runs ${jobId} (${job.schedule})`,
      });
    }
    this.jobFunctions = jobFunctions;
    this.schedules = schedules;

    // API functions are invoked synchronously by API Gateway, which returns their failure to
    // the caller; dead-letter queues and async destinations only apply to async invocations.
    for (const { fn } of Object.values(routeFunctions)) {
      Validations.of(fn).acknowledge(
        { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by API Gateway only.' },
        {
          id: 'Serverless-LambdaAsyncFailureDestination',
          reason: 'Invoked synchronously by API Gateway only.',
        },
      );
    }

    this.alarms = new ServiceAlarms(this, 'Alarms', {
      alarmEmail: config.alarmEmail || undefined,
      api: this.api.api,
      functions: Object.fromEntries(
        [...Object.entries(routeFunctions), ...Object.entries(jobFunctions)].map(([name, f]) => [
          name,
          f.fn,
        ]),
      ),
      table,
      deadLetterQueues: Object.fromEntries(
        Object.entries(schedules).map(([name, s]) => [name, s.deadLetterQueue]),
      ),
    });

    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the API', value: this.api.url });
    new CfnOutput(this, 'TableName', { description: 'The single table', value: table.tableName });
    new CfnOutput(this, 'SigningSecretArn', {
      description: 'Secret holding the token signing keys (rotate by hand, see README)',
      value: this.signingSecret.secretArn,
    });
    new CfnOutput(this, 'ProvisionFirstAccount', {
      description: 'Creates the first customer account with your own AWS credentials',
      value:
        `npm run accounts -- create --table ${table.tableName} --region ${this.region} ` +
        '--slug acme --name "Acme Ltd" --plan cloud-pro --admin-username alice ' +
        '--admin-email alice@acme.example',
    });
  }
}
