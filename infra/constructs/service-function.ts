/**
 * The one Lambda construct of the service: every route handler and scheduled job is built
 * here, with the same runtime, bundling, logging, and a role holding exactly the rights the
 * route table grants it (lib/routes.ts) and nothing else.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { IndexName } from '../../lib/keys.js';
import type { DbAction } from '../../lib/routes.js';
import { ESBUILD, handlerEntry, PROJECT_ROOT } from '../bundling.js';

export interface DbGrants {
  readonly table: ITable;
  /** Exactly these actions, as `dynamodb:<Action>`, on the table. */
  readonly actions: readonly DbAction[];
  /**
   * Indexes the function queries; each gets `dynamodb:Query` on its own ARN only.
   * @default - none
   */
  readonly indexes?: readonly IndexName[];
}

export interface ServiceFunctionProps {
  /** Route or job id: the handler is `functions/<name>.ts`, exporting `handler`. */
  readonly name: string;
  /** Shown in the console: the route (`POST /v1/auth/login`) or the job. */
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly db: DbGrants;
  /**
   * Given only to functions that sign or verify tokens: read access and SIGNING_SECRET_ARN.
   * @default - no access to the signing key
   */
  readonly signingSecret?: ISecret;
  /**
   * SES identity ARN the function may send as (`ses:SendEmail` on it, nothing else).
   * @default - may not send email
   */
  readonly sendEmailAs?: string;
  /**
   * Lambda memory. CPU scales with it, which is what bcrypt routes need.
   * @default 512
   */
  readonly memoryMb?: number;
  /** Data files read at run time, copied beside the bundle (infra/bundling.ts bundleFiles). */
  readonly files?: readonly string[];
  /**
   * @default Duration.seconds(10) - well under API Gateway's 30 s integration limit
   */
  readonly timeout?: Duration;
  /** Retention of the function's own log group. */
  readonly logRetention: RetentionDays;
  /**
   * @default Tracing.ACTIVE
   */
  readonly tracing?: Tracing;
}

export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const entry = handlerEntry(props.name);
    if (!existsSync(entry)) {
      throw new Error(`"${props.name}" has no handler: expected ${entry} exporting handler`);
    }

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // An own role instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole, which may write to any log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (${props.name})`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantDb(props.db);

    const environment: Record<string, string> = { ...props.environment };
    if (props.signingSecret) {
      // The ARN only; lib/signing-keys.ts reads the value once per cold start, through the
      // Parameters and Secrets extension (below) rather than a bundled SDK client.
      environment.SIGNING_SECRET_ARN = props.signingSecret.secretArn;
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.signingSecret.secretArn],
        }),
      );
    }
    if (props.sendEmailAs) {
      // SendEmail (SES v1 API, lib's client) only; SendRawEmail would allow arbitrary MIME.
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['ses:SendEmail'], resources: [props.sendEmailAs] }),
      );
    }

    this.fn = new NodejsFunction(this, 'Fn', {
      entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ?? Tracing.ACTIVE,
      environment,
      ...(props.signingSecret
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(
              ParamsAndSecretsVersions.V1_0_103,
              { logLevel: ParamsAndSecretsLogLevel.WARN },
            ),
          }
        : {}),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD.target,
        mainFields: [...ESBUILD.mainFields],
        minify: ESBUILD.minify,
        sourceMap: ESBUILD.sourcemap,
        sourcesContent: ESBUILD.sourcesContent,
        banner: ESBUILD.banner,
        // The SDK goes into the bundle: the version we test is the version that runs, and
        // the runtime's copy is not loaded at cold start.
        bundleAwsSDK: true,
        externalModules: [],
        // Keeps `cdk synth` output to what needs reading.
        logLevel: LogLevel.WARNING,
        ...(props.files?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  (props.files ?? []).map(
                    (file) => `cp "${join(inputDir, file)}" "${join(outputDir, basename(file))}"`,
                  ),
              },
            }
          : {}),
      },
    });

    const pinned =
      'Node.js 22 is pinned on purpose: the bundles are built for and tested on node22 ' +
      '(infra/bundling.ts); moving to a newer runtime is a deliberate, tested change.';
    Validations.of(this.fn).acknowledge(
      { id: 'AwsSolutions-L1', reason: pinned },
      { id: 'Serverless-LambdaLatestVersion', reason: pinned },
    );
    if ((props.tracing ?? Tracing.ACTIVE) === Tracing.ACTIVE) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; ' +
          'AWS requires Resource "*" for them. Every other statement names its resource.',
      });
    }
  }

  private grantDb({ table, actions, indexes = [] }: DbGrants): void {
    if (indexes.length > 0 && !actions.includes('Query')) {
      throw new Error(`${this.node.path}: indexes ${indexes.join(', ')} are listed without Query`);
    }
    // A route that never touches the table (a static page) gets no DynamoDB statement at all.
    if (actions.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: actions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    if (indexes.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
  }
}
