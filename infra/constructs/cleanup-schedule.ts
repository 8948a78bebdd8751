/**
 * Runs a job function on an EventBridge Scheduler schedule. Nothing is lost silently: a
 * schedule that cannot invoke the function, and an invocation that still fails after Lambda's
 * own retries, both land in one dead-letter queue, whose depth is alarmed (alarms.ts).
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * LambdaInvoke, minus the `<function>:*` (every version and alias) that `grantInvoke` adds:
 * the schedule only ever calls the function's unqualified ARN.
 */
class InvokeUnqualified extends LambdaInvoke {
  constructor(
    private readonly target: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(target, props);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.target.functionArn],
      }),
    );
  }
}

export interface CleanupScheduleProps {
  readonly handler: IFunction;
  /** EventBridge Scheduler expression, e.g. `rate(1 hour)`. */
  readonly schedule: string;
  readonly description: string;
  /**
   * Attempts after the first when the schedule cannot invoke, and Lambda's retries of a failed
   * run. The job is idempotent, so retrying is always safe.
   * @default 2
   */
  readonly retryAttempts?: number;
}

export class CleanupSchedule extends Construct {
  readonly deadLetterQueue: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: CleanupScheduleProps) {
    super(scope, id);
    const retryAttempts = props.retryAttempts ?? 2;
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const isDeadLetterQueue = 'This queue is itself the dead-letter queue of the schedule and job.';
    Validations.of(this.deadLetterQueue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: isDeadLetterQueue },
      { id: 'Serverless-SQSRedrivePolicy', reason: isDeadLetterQueue },
    );

    // The scheduler invokes asynchronously: a run that throws is retried by Lambda, then
    // recorded here with its error.
    props.handler.configureAsyncInvoke({
      retryAttempts,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    Validations.of(props.handler).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Failed async runs go to an on-failure destination (this same queue), which records ' +
        'the error with the event; a DeadLetterConfig as well would deliver each failure twice.',
    });

    this.schedule = new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.expression(props.schedule),
      description: props.description,
      target: new InvokeUnqualified(props.handler, {
        retryAttempts,
        // A run older than the interval is superseded by the next one.
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
  }
}
