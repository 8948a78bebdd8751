/**
 * Alarms that mean "someone should look": each goes to one SNS topic, whose email
 * subscription comes from context. Every threshold is "anything at all" except the 5xx rate,
 * because each of these events is a real failure in a service of this size.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ServiceAlarmsProps {
  /**
   * Subscribed to the alarm topic.
   * @default - the topic has no subscription (subscribe by hand or with a later deploy)
   */
  readonly alarmEmail?: string;
  readonly api: IHttpApi;
  /** Alarmed on errors and throttles, by name (route or job id). */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly table: Table;
  /** Queues whose depth means a job failed: each message is a run that never succeeded. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /**
   * Percent of requests answered 5xx, over 5 minutes, that raises the API alarm.
   * @default 5
   */
  readonly serverErrorPercent?: number;
}

/** The operations the service uses (lib/routes.ts DbAction; transactions as a whole). */
const DB_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

type AlarmSpec = {
  readonly id: string;
  readonly description: string;
  readonly metric: IMetric;
  /** Alarm when the metric is >= this. */
  readonly threshold: number;
};

export class ServiceAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);

    // A customer managed key: CloudWatch cannot publish to a topic encrypted with the AWS
    // managed aws/sns key, whose policy cannot be changed to let it in.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the alarm topic of Capptro user management',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Capptro user management alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      const subscription = new EmailSubscription(props.alarmEmail);
      this.topic.addSubscription(subscription);
      Validations.of(this.topic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An email subscription: SNS retries delivery itself, and an undelivered alarm ' +
          'stays visible in CloudWatch; a queue for it would never be read.',
      });
    }

    const requests = props.api.metricCount({ period });
    const serverErrors = props.api.metricServerError({ period });
    const specs: AlarmSpec[] = [
      {
        id: 'Api5xxRate',
        description: 'The API answered 5xx to more than a few percent of requests',
        // Below 20 requests a single error is noise, not a rate.
        metric: new MathExpression({
          expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
          usingMetrics: { requests, errors: serverErrors },
          period,
          label: '5xx %',
        }),
        threshold: props.serverErrorPercent ?? 5,
      },
      {
        id: 'TableThrottles',
        description: 'DynamoDB throttled requests (on demand: a sudden spike or a hot key)',
        metric: props.table.metricThrottledRequestsForOperations({
          operations: DB_OPERATIONS,
          period,
        }),
        threshold: 1,
      },
      {
        id: 'TableSystemErrors',
        description: 'DynamoDB answered with internal server errors',
        metric: props.table.metricSystemErrorsForOperations({
          operations: DB_OPERATIONS,
          period,
        }),
        threshold: 1,
      },
      {
        id: 'SesBounceRate',
        // SES pauses sending for the account above 10 %; this warns at half of that.
        description: 'SES bounce rate of the account is above 5 %',
        metric: new Metric({
          namespace: 'AWS/SES',
          metricName: 'Reputation.BounceRate',
          statistic: 'Maximum',
          period,
        }),
        threshold: 0.05,
      },
      ...Object.entries(props.functions).flatMap(([name, fn]): AlarmSpec[] => [
        {
          id: `${name}-errors`,
          description: `Lambda ${name} failed (an unhandled error or a timeout)`,
          metric: fn.metricErrors({ period }),
          threshold: 1,
        },
        {
          id: `${name}-throttles`,
          description: `Lambda ${name} was throttled (account concurrency exhausted)`,
          metric: fn.metricThrottles({ period }),
          threshold: 1,
        },
      ]),
      ...Object.entries(props.deadLetterQueues).map(
        ([name, queue]): AlarmSpec => ({
          id: `${name}-dead-letters`,
          description: `Job ${name} failed after retries; its events are in the dead-letter queue`,
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: 'Maximum',
          }),
          threshold: 1,
        }),
      ),
    ];

    const action = new SnsAction(this.topic);
    for (const spec of specs) {
      const alarm = new Alarm(this, spec.id, {
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No data means no traffic, not a failure.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    }
  }
}
