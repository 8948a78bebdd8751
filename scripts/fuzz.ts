/**
 * `npm run fuzz -- --runs N [--seed S] [--route ID]`: the hostile-input properties of
 * test/reliability/fuzz.test.ts with N cases per route (default 2000) instead of the 200 of
 * `npm test`. It runs that same file through vitest, which starts DynamoDB Local and the local
 * SES as the test suite does; a failure prints fast-check's seed and shrunk counterexample.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const USAGE = 'Usage: npm run fuzz -- [--runs N] [--seed S] [--route ROUTE_ID]';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '2000' },
    seed: { type: 'string' },
    route: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer.\n${USAGE}`);
  process.exit(1);
}
if (values.seed !== undefined && !Number.isInteger(Number(values.seed))) {
  console.error(`--seed must be an integer.\n${USAGE}`);
  process.exit(1);
}

const env = {
  ...process.env,
  FUZZ_RUNS: String(runs),
  ...(values.seed === undefined ? {} : { FUZZ_SEED: values.seed }),
  ...(values.route === undefined ? {} : { FUZZ_ROUTE: values.route }),
};
console.log(
  `Fuzzing every route with ${runs} hostile requests each` +
    `${values.route ? ` (route ${values.route} only)` : ''}` +
    `${values.seed ? `, seed ${values.seed}` : ''}…`,
);
const result = spawnSync('npx', ['vitest', 'run', 'test/reliability/fuzz.test.ts'], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
