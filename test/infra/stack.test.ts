/**
 * The CDK stack, checked offline against the route table: every route exists with its own
 * function, every function holds exactly the rights lib/routes.ts grants it, the data is
 * protected, failures are alarmed, and cdk-nag has nothing left to say.
 *
 * Bundling is skipped (`aws:cdk:bundling-stacks: []`): these tests read the template, not the
 * code; test/infra/bundles.test.ts proves the bundles themselves.
 */
import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { readConfig } from '../../infra/config.js';
import type { ServiceFunction } from '../../infra/constructs/service-function.js';
import { ServiceStack } from '../../infra/stack.js';
import { TABLE } from '../../lib/keys.js';
import { JOBS, needsSigningKey, type RouteDef, routeList } from '../../lib/routes.js';

const CDK_JSON = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
/** What an operator gets from `cdk synth` with cdk.json as it is, minus the bundling. */
const CONTEXT = { ...CDK_JSON.context, 'aws:cdk:bundling-stacks': [] };

const routes = routeList();
const jobs = Object.entries(JOBS).map(([id, job]) => ({
  id,
  ...job,
  grants: job.grants as RouteDef['grants'],
}));

type Resource = { Type: string; Properties: Record<string, unknown> } & Record<string, unknown>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** What one function is allowed, according to the route table. */
type Expected = {
  name: string;
  grants: RouteDef['grants'];
  signingKey: boolean;
  job: boolean;
  logicalId: string;
  roleLogicalId: string;
};

function expectations(stack: ServiceStack): Expected[] {
  const ids = (f: ServiceFunction) => ({
    logicalId: stack.getLogicalId(f.fn.node.defaultChild as CfnFunction),
    roleLogicalId: stack.getLogicalId(f.role.node.defaultChild as CfnRole),
  });
  return [
    ...routes.map((route) => ({
      name: route.id,
      grants: route.grants,
      signingKey: needsSigningKey(route),
      job: false,
      ...ids(stack.routeFunctions[route.id]),
    })),
    ...jobs.map((job) => ({
      name: job.id,
      grants: job.grants,
      signingKey: job.grants.signingKey === true,
      job: true,
      ...ids(stack.jobFunctions[job.id as keyof typeof JOBS]),
    })),
  ];
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every IAM policy attached to a role (inline or separate). */
function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy') as Record<string, Resource>,
  )
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"Ref":"${roleLogicalId}"`))
    .map((p) => p.Properties.PolicyDocument as { Statement: Statement[] });
  const role = template.findResources('AWS::IAM::Role')[roleLogicalId] as Resource;
  const inline = (
    (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
  ).map((p) => p.PolicyDocument);
  return [...policies, ...inline].flatMap((doc) => doc.Statement);
}

/**
 * Everything a function's role may do beyond what the route table grants it. Empty means least
 * privilege. Snapshot-free: it derives the allowed set from lib/routes.ts, so a new route is
 * checked the moment it is added, and a broad grant to any function shows up here.
 */
function excessRights(template: Template, stack: ServiceStack): string[] {
  const tableArn = JSON.stringify(stack.resolve(stack.table.table.tableArn));
  const indexArn = (name: string) =>
    JSON.stringify(stack.resolve(`${stack.table.table.tableArn}/index/${name}`));
  const problems: string[] = [];
  for (const fn of expectations(stack)) {
    const role = template.findResources('AWS::IAM::Role')[fn.roleLogicalId] as Resource;
    if (role.Properties.ManagedPolicyArns) problems.push(`${fn.name}: has managed policies`);
    const allowed = new Set([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      ...(fn.grants.email ? ['ses:SendEmail'] : []),
      ...(fn.signingKey ? ['secretsmanager:GetSecretValue'] : []),
      // A job's on-failure destination (CDK's grant for an SQS destination).
      ...(fn.job ? ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'] : []),
    ]);
    const dbActions = new Set<string>();
    for (const statement of statementsOf(template, fn.roleLogicalId)) {
      if (statement.Effect !== 'Allow') continue;
      const actions = asArray(statement.Action);
      const resources = asArray(statement.Resource).map((r) => JSON.stringify(r));
      for (const action of actions) {
        if (action.includes('*')) problems.push(`${fn.name}: wildcard action ${action}`);
        if (!action.startsWith('dynamodb:') && !allowed.has(action)) {
          problems.push(`${fn.name}: ${action} is not granted by the route table`);
        }
        if (resources.includes('"*"') && !action.startsWith('xray:')) {
          problems.push(`${fn.name}: ${action} on every resource`);
        }
      }
      const db = actions.filter((a) => a.startsWith('dynamodb:'));
      if (db.length === 0) continue;
      for (const resource of resources) {
        const isIndex = (fn.grants.indexes ?? []).some((name) => indexArn(name) === resource);
        if (isIndex && db.some((a) => a !== 'dynamodb:Query')) {
          problems.push(`${fn.name}: ${db.join(', ')} on an index (only Query is needed there)`);
        } else if (!isIndex && resource !== tableArn) {
          problems.push(`${fn.name}: ${db.join(', ')} on ${resource}`);
        } else if (!isIndex) {
          for (const a of db) dbActions.add(a);
        }
      }
    }
    const expected = fn.grants.db.map((a) => `dynamodb:${a}`).sort();
    const actual = [...dbActions].sort();
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`${fn.name}: table actions ${actual.join(', ')} ≠ ${expected.join(', ')}`);
    }
  }
  return problems;
}

/** The function behind each route key (`POST /v1/auth/login` → function logical id). */
function routeTargets(template: Template): Map<string, string> {
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Record<
    string,
    Resource
  >;
  const out = new Map<string, string>();
  for (const route of Object.values(
    template.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>,
  )) {
    const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = integrations[target['Fn::Join'][1][1].Ref];
    const uri = integration?.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
    out.set(route.Properties.RouteKey as string, uri['Fn::GetAtt'][0]);
  }
  return out;
}

const { stack } = buildApp(CONTEXT);
const config = readConfig(stack.node);
// Synthesis runs the cdk-nag packs: an unacknowledged error would throw right here.
const template = Template.fromStack(stack);
const functions = expectations(stack);
const lambdas = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;

describe('the CDK stack', () => {
  it('skips esbuild in these tests, so they stay fast', () => {
    expect(stack.bundlingRequired).toBe(false);
  });

  describe('routes', () => {
    it('has exactly one API route per route-table entry, with the same method and path', () => {
      const keys = [...routeTargets(template).keys()].sort();
      expect(keys).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    });

    it("sends each route to its own handler's function", () => {
      const targets = routeTargets(template);
      for (const route of routes) {
        const fn = functions.find((f) => f.name === route.id);
        expect(targets.get(`${route.method} ${route.path}`), route.id).toBe(fn?.logicalId);
      }
      expect(new Set(targets.values()).size).toBe(routes.length);
    });

    it('uses Lambda proxy integrations with the HTTP API v2 payload the handlers expect', () => {
      template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    });
  });

  describe('functions', () => {
    it('builds one Lambda per route and per job, and no others', () => {
      expect(Object.keys(lambdas).sort()).toEqual(functions.map((f) => f.logicalId).sort());
      expect(functions).toHaveLength(routes.length + jobs.length);
    });

    it('runs every function on Node.js 22, arm64, with a bounded timeout', () => {
      for (const [id, fn] of Object.entries(lambdas)) {
        expect(fn.Properties, id).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
        });
        expect(fn.Properties.Timeout as number, id).toBeLessThanOrEqual(60);
      }
    });

    it("gives each route the memory the route table asks for (bcrypt's CPU)", () => {
      for (const route of routes) {
        const fn = functions.find((f) => f.name === route.id);
        const props = lambdas[fn?.logicalId ?? '']?.Properties;
        expect(props?.MemorySize, route.id).toBe(route.memoryMb ?? 512);
        // API Gateway gives up after 30 s; the function must stop before that.
        expect(props?.Timeout as number, route.id).toBeLessThan(30);
      }
    });

    it('logs to its own log group with a fixed retention', () => {
      const groups = template.findResources('AWS::Logs::LogGroup') as Record<string, Resource>;
      for (const [id, fn] of Object.entries(lambdas)) {
        const group = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(groups[group]?.Properties.RetentionInDays, id).toBe(config.logRetention);
      }
    });

    it('passes the signing key by ARN only, and only to functions that need it', () => {
      for (const fn of functions) {
        const env =
          (
            lambdas[fn.logicalId]?.Properties.Environment as
              | { Variables: Record<string, unknown> }
              | undefined
          )?.Variables ?? {};
        expect(env.TABLE_NAME, fn.name).toBeDefined();
        expect('SIGNING_SECRET_ARN' in env, fn.name).toBe(fn.signingKey);
        expect(env.SIGNING_KEYS, fn.name).toBeUndefined();
      }
    });
  });

  describe('least privilege', () => {
    it('grants each function exactly the DynamoDB actions, indexes, email and secret the route table lists', () => {
      expect(excessRights(template, stack)).toEqual([]);
    });

    it('would catch a handler given broad rights', () => {
      // The same stack with one careless grant: the check above must name it.
      const app = new App({ context: CONTEXT });
      const broad = new ServiceStack(app, 'Broad', { config: readConfig(app.node) });
      broad.table.table.grantReadWriteData(broad.routeFunctions.me.fn);
      const problems = excessRights(Template.fromStack(broad), broad);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.startsWith('me: '))).toBe(true);
    });

    it('has no wildcard action and no Scan in any policy of the stack', () => {
      const policies = [
        ...Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>),
        ...Object.values(template.findResources('AWS::IAM::Role') as Record<string, Resource>),
      ];
      const actions = JSON.stringify(policies)
        .match(/"Action":(\[[^\]]*\]|"[^"]*")/g)
        ?.flatMap((m) => asArray(JSON.parse(m.slice('"Action":'.length)) as string | string[]));
      expect(actions?.length).toBeGreaterThan(0);
      expect(actions?.filter((a) => a.includes('*') || a === 'dynamodb:Scan')).toEqual([]);
    });

    it('lets only the functions whose route sends email call ses:SendEmail', () => {
      for (const fn of functions) {
        const actions = statementsOf(template, fn.roleLogicalId).flatMap((s) => asArray(s.Action));
        expect(actions.includes('ses:SendEmail'), fn.name).toBe(fn.grants.email === true);
        expect(
          actions.some((a) => a.startsWith('ses:') && a !== 'ses:SendEmail'),
          fn.name,
        ).toBe(false);
      }
      expect(functions.some((f) => f.grants.email)).toBe(true);
    });

    it('lets only the functions that sign or verify tokens read the signing key', () => {
      for (const fn of functions) {
        const statements = statementsOf(template, fn.roleLogicalId).filter((s) =>
          asArray(s.Action).includes('secretsmanager:GetSecretValue'),
        );
        expect(statements.length, fn.name).toBe(fn.signingKey ? 1 : 0);
        for (const s of statements) {
          expect(s.Resource).toEqual(stack.resolve(stack.signingSecret.secretArn));
        }
      }
    });

    it('gives exactly those functions the Parameters and Secrets extension they read it through', () => {
      const { Resources, Mappings } = template.toJSON();
      // The stack is region-agnostic: the layer is looked up per region in a mapping.
      const layerIn = (region: string) => (layer: { 'Fn::FindInMap'?: string[] }) => {
        const [map, , key] = layer['Fn::FindInMap'] ?? [];
        return String(Mappings?.[map as string]?.[region]?.[key as string] ?? layer);
      };
      for (const fn of functions) {
        const props = Resources[fn.logicalId].Properties;
        const layers: string[] = (props.Layers ?? []).map(layerIn('eu-west-1'));
        expect(layers, fn.name).toEqual(
          fn.signingKey
            ? [
                expect.stringMatching(
                  /^arn:aws:lambda:eu-west-1:\d+:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
                ),
              ]
            : [],
        );
        expect(props.Environment.Variables.SIGNING_SECRET_ARN !== undefined, fn.name).toBe(
          fn.signingKey,
        );
      }
    });
  });

  describe('data', () => {
    it('keeps the table safe: on demand, PITR, TTL, deletion protection, retained, encrypted', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true },
          KeySchema: [
            { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
          ],
        }),
      });
    });

    it('has the indexes of lib/keys.ts with their keys and projections', () => {
      const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0] as Resource;
      const indexes = table.Properties.GlobalSecondaryIndexes as {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: string }[];
        Projection: { ProjectionType: string };
      }[];
      expect(indexes.map((i) => i.IndexName).sort()).toEqual(Object.keys(TABLE.indexes).sort());
      for (const [name, index] of Object.entries(TABLE.indexes)) {
        const actual = indexes.find((i) => i.IndexName === name);
        expect(actual?.KeySchema, name).toEqual([
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
        ]);
        expect(actual?.Projection.ProjectionType, name).toBe(index.projection);
      }
    });

    it('generates the signing key in the format lib/signing-keys.ts reads', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: {
          SecretStringTemplate: JSON.stringify({ kid: 'k1' }),
          GenerateStringKey: 'secret',
          PasswordLength: 64,
          ExcludePunctuation: true,
        },
      });
    });
  });

  describe('API stage', () => {
    it('throttles the default stage with the limits from context', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: config.throttleRateLimit,
          ThrottlingBurstLimit: config.throttleBurstLimit,
        },
      });
    });

    it('writes JSON access logs with request id, status and latency, and no bodies', () => {
      const stage = Object.values(
        template.findResources('AWS::ApiGatewayV2::Stage'),
      )[0] as Resource;
      const settings = stage.Properties.AccessLogSettings as { Format: string };
      const format = JSON.parse(settings.Format) as Record<string, string>;
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        latency: '$context.responseLatency',
        integrationLatency: '$context.integrationLatency',
        routeKey: '$context.routeKey',
      });
      expect(settings.Format).not.toMatch(/body|authorization|querystring|header/i);
    });

    it('allows CORS from the configured app URL only', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({ AllowOrigins: [new URL(config.appUrl).origin] }),
      });
    });
  });

  describe('cleanup job', () => {
    it('runs on the schedule of the route table, with retries and a dead-letter queue', () => {
      const cleanup = functions.find((f) => f.name === 'cleanup');
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: JOBS.cleanup.schedule,
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [cleanup?.logicalId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
        }),
      });
      expect(JOBS.cleanup.schedule).toBe('rate(1 hour)');
    });

    it('records failed runs in the same encrypted, TLS-only dead-letter queue', () => {
      const schedule = Object.values(
        template.findResources('AWS::Scheduler::Schedule'),
      )[0] as Resource;
      const dlq = (schedule.Properties.Target as { DeadLetterConfig: { Arn: unknown } })
        .DeadLetterConfig.Arn;
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functions.find((f) => f.name === 'cleanup')?.logicalId },
        DestinationConfig: { OnFailure: { Destination: dlq } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        }),
      });
    });
  });

  describe('alarms', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const metricsOf = (alarm: Resource) =>
      JSON.stringify(alarm.Properties.Metrics ?? alarm.Properties.MetricName);

    it('alarms on errors and throttles of every function', () => {
      for (const fn of functions) {
        const own = alarms.filter((a) =>
          JSON.stringify(a.Properties).includes(`"${fn.logicalId}"`),
        );
        const names = own.map((a) => a.Properties.MetricName);
        expect(names, fn.name).toEqual(expect.arrayContaining(['Errors', 'Throttles']));
      }
    });

    it('alarms on API 5xx, DynamoDB throttles and system errors, SES bounces and the dead-letter queue', () => {
      const all = alarms.map(metricsOf).join('\n');
      expect(all).toContain('5xx');
      expect(all).toContain('ThrottledRequests');
      expect(all).toContain('SystemErrors');
      expect(all).toContain('Reputation.BounceRate');
      expect(all).toContain('ApproximateNumberOfMessagesVisible');
    });

    it('sends every alarm to the encrypted alarm topic', () => {
      const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      }
    });

    it('subscribes the alarm email from context, and none when it is empty', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      const app = new App({ context: { ...CONTEXT, alarmEmail: 'ops@capptro.example' } });
      const withEmail = new ServiceStack(app, 'WithEmail', { config: readConfig(app.node) });
      Template.fromStack(withEmail).hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@capptro.example',
      });
    });
  });

  describe('outputs and configuration', () => {
    it('outputs the API URL, the table name and the command that provisions the first account', () => {
      const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(Object.keys(outputs)).toEqual(
        expect.arrayContaining(['ApiUrl', 'TableName', 'ProvisionFirstAccount']),
      );
      expect(JSON.stringify(outputs.ProvisionFirstAccount?.Value)).toContain(
        'npm run accounts -- create --table ',
      );
    });

    it('refuses bad context values with the key and a clear reason', () => {
      expect(() => buildApp({ ...CONTEXT, bcryptCost: 9 })).toThrow(
        'Invalid CDK context "bcryptCost": Too small: expected number to be >=10',
      );
      expect(() => buildApp({ ...CONTEXT, appUrl: 'ftp://app.example' })).toThrow(
        'Invalid CDK context "appUrl": Invalid URL',
      );
    });

    it('refuses a sender address outside the verified mail domain', () => {
      expect(() => buildApp({ ...CONTEXT, mailFrom: 'noreply@elsewhere.example' })).toThrow(
        /mailDomain/,
      );
    });
  });

  describe('cdk-nag', () => {
    /** Every acknowledgement the stack may carry; anything else needs a look (and a line here). */
    const KNOWN = new Set([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
      'Serverless-LambdaAsyncFailureDestination',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaLatestVersion',
      'Serverless-SNSRedrivePolicy',
      'Serverless-SQSRedrivePolicy',
    ]);

    it('acknowledges only known findings, on single resources, each with a reason', () => {
      const ackKey = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
      expect(stack.node.metadata.filter((m) => m.type === ackKey)).toEqual([]);
      const acks = Object.values(template.toJSON().Resources as Record<string, Resource>).flatMap(
        (r) =>
          (r.Metadata as { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } })
            ?.cdk_nag?.rules_to_suppress ?? [],
      );
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        expect(KNOWN.has(ack.id), ack.id).toBe(true);
        expect(ack.reason.length, ack.id).toBeGreaterThan(30);
      }
    });

    it('leaves no unacknowledged AwsSolutions or Serverless finding', () => {
      for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
        const report = pack.validateScope(stack);
        const findings = report.violations.map(
          (v) =>
            `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        );
        expect(findings).toEqual([]);
      }
    });
  });
});
