/**
 * The HTTP API: one route and one Lambda integration per route-table entry, a throttled
 * default stage with JSON access logs, and CORS for the web app's origin only.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Access, RouteDef } from '../../lib/routes.js';

export interface ApiRoute {
  readonly id: string;
  readonly method: RouteDef['method'];
  readonly path: string;
  readonly access: Access;
  readonly handler: IFunction;
}

export interface ServiceApiProps {
  readonly routes: readonly ApiRoute[];
  /** The web app's URL; its origin is the only one CORS allows. */
  readonly appUrl: string;
  /** Steady-state requests per second across the stage. */
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly logRetention: RetentionDays;
}

/**
 * One line per request; no bodies, headers or query strings, so no password, token or reset
 * link can ever reach the access log.
 */
const ACCESS_LOG = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
};

const AUTH_IN_HANDLER: Record<Access, string> = {
  public: 'Public by contract (API.md): callers have no token yet.',
  user:
    'Authenticated in the handler: the signed token (pinned HS256, iss/aud/exp) is verified and ' +
    "the caller's user item is read on every request, so logout, deletion and password changes " +
    'revoke at once. A gateway JWT authorizer cannot see that revocation.',
  admin:
    'Authenticated and authorised in the handler (admin flag read from the table on every ' +
    'request, so demotion takes effect at once). A gateway authorizer would only see the token.',
};

export class ServiceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Capptro user management',
      // The stage is built below: the default one has no throttling or access logs.
      createDefaultStage: false,
      corsPreflight: {
        // An origin has no path or trailing slash, whatever form appUrl is written in.
        allowOrigins: [new URL(props.appUrl).origin],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['authorization', 'content-type'],
        exposeHeaders: ['location', 'retry-after'],
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG)),
      },
    });

    for (const route of props.routes) {
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}-integration`, route.handler),
      });
      if (!httpRoute) throw new Error(`No route was created for ${route.id}`);
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: AUTH_IN_HANDLER[route.access],
      });
    }
  }

  /** The API's base URL, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/`. */
  get url(): string {
    return this.stage.url;
  }
}
