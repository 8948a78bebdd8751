/**
 * CDK entry (`cdk.json`: `npx tsx infra/app.ts`): one stack per stage, checked by cdk-nag.
 * Any unsuppressed cdk-nag error fails the synth, here and in `cdk synth` itself.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { ServiceStack } from './stack.js';

/**
 * The app with its stack and the cdk-nag checks, for `cdk synth` and the infra tests.
 * `context` is merged over what the CDK CLI passes (cdk.json and `-c`).
 */
export function buildApp(context: Record<string, unknown> = {}): {
  app: App;
  stack: ServiceStack;
} {
  const app = new App({ context });
  const config = readConfig(app.node);
  const stack = new ServiceStack(app, `capptro-users-${config.stage}`, {
    config,
    description: `Capptro user management (${config.stage})`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    // Production data lives here: deleting the stack takes a deliberate extra step.
    terminationProtection: config.stage === 'prod',
  });
  // writeSuppressionsToCloudFormation: each acknowledged rule and its reason is also kept in
  // the template's Metadata, an audit trail next to the resource it excuses.
  const nag = { verbose: true, writeSuppressionsToCloudFormation: true };
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, nag), new ServerlessChecks(app, nag));
  return { app, stack };
}

function main(): void {
  const { app } = buildApp();
  const assembly = app.synth();
  const errors = assembly.stacks.flatMap((stack) =>
    stack.messages.filter((message) => message.level === 'error'),
  );
  for (const error of errors) console.error(`[error] ${error.id}: ${error.entry.data}`);
  if (errors.length > 0) {
    console.error(`${errors.length} unsuppressed error(s): synth failed.`);
    process.exitCode = 1;
  }
}

// Run only as the entry point; the tests import buildApp.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
