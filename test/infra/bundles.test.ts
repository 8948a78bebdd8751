/**
 * Every Lambda bundle loads. Built with the very esbuild settings the CDK functions use
 * (infra/bundling.ts), written outside the repository so no node_modules can be found, and
 * imported by a fresh `node` with only the environment Lambda would give it: this is where a
 * missing `createRequire` banner, an unbundled dependency or a top-level crash shows up,
 * before `cdk deploy` does.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_EXTENSION,
  buildBundles,
  bundleFiles,
  functionEnvironment,
  handlerEntry,
  PROJECT_ROOT,
  SAMPLE_SECRET_ARN,
  SAMPLE_SETTINGS,
} from '../../infra/bundling.js';
import { ServiceFunction } from '../../infra/constructs/service-function.js';
import { JOBS, ROUTES, routeList } from '../../lib/routes.js';

const ids = [...routeList().map((r) => r.id), ...Object.keys(JOBS)];

/** Imports the bundle, then says what `handler` is; a throw at load exits non-zero. */
const LOADER =
  'const m = await import(process.env.BUNDLE_URL);' +
  'process.stdout.write(JSON.stringify({ handler: typeof m.handler }));';

/** Runs the bundled password policy on three passwords; prints what it says of each. */
const POLICY =
  'const m = await import(process.env.BUNDLE_URL); const out = {};' +
  "for (const p of ['Password1', 'baseball1', 'quartz-lantern-oboe-17']) {" +
  '  out[p] = await m.assertStrongPassword(p).then(() => "ok", (e) => e.message); }' +
  'process.stdout.write(JSON.stringify(out));';

/** What Lambda's environment holds at cold start: the stack's variables, no test settings. */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  AWS_REGION: 'eu-west-1',
  ...functionEnvironment(SAMPLE_SETTINGS),
  SIGNING_SECRET_ARN: SAMPLE_SECRET_ARN,
  LOG_LEVEL: 'SILENT',
};

type Loaded = { code: number | null; stdout: string; stderr: string };

function load(file: string, script = LOADER): Promise<Loaded> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        cwd: tmpdir(),
        env: { ...LAMBDA_ENV, BUNDLE_URL: pathToFileURL(file).href },
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error.code as number | undefined) ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs `task` over `items`, at most `limit` at a time (CI has 2 cores). */
async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

let outdir = '';
const loaded = new Map<string, Loaded>();

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'capptro-bundles-'));
  // One build for every entry point: esbuild shares the parse of common modules.
  await buildBundles(
    {
      ...Object.fromEntries(ids.map((id) => [id, handlerEntry(id)])),
      'password-policy': join(PROJECT_ROOT, 'lib', 'password-policy.ts'),
    },
    outdir,
  );
  const results = await mapLimit(ids, 2, (id) => load(join(outdir, `${id}${BUNDLE_EXTENSION}`)));
  ids.forEach((id, i) => {
    loaded.set(id, results[i] as Loaded);
  });
}, 120_000);

afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('bundles every route and job', () => {
    expect([...loaded.keys()].sort()).toEqual([...ids].sort());
  });

  it.each(ids)('%s loads in a fresh Node process and exports a handler function', (id) => {
    const result = loaded.get(id);
    // Minified bundles are one huge line; keep the error and the stack, not the source.
    const errors = (result?.stderr ?? '')
      .split('\n')
      .filter((line) => line.length < 300)
      .join('\n')
      .trim();
    expect(errors, `${id} failed to load`).toBe('');
    expect(result?.code).toBe(0);
    expect(JSON.parse(result?.stdout || '{}')).toEqual({ handler: 'function' });
  });

  it('check new passwords against the common-password list shipped beside the bundle', async () => {
    const result = await load(join(outdir, `password-policy${BUNDLE_EXTENSION}`), POLICY);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      Password1: 'This password is too common. Choose a less guessable one.',
      baseball1: 'This password is too common. Choose a less guessable one.',
      'quartz-lantern-oboe-17': 'ok',
    });
  });

  it('ship the list in the deployed asset of exactly the functions that set passwords', () => {
    const app = new App({ outdir: join(outdir, 'cdk.out') });
    const stack = new Stack(app, 'Bundles');
    const table = new Table(stack, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
    });
    const assetOf = (id: 'users-create' | 'users-get') => {
      const fn = new ServiceFunction(stack, id, {
        name: id,
        description: id,
        environment: {},
        db: { table, actions: ROUTES[id].grants.db },
        files: bundleFiles(ROUTES[id]),
        logRetention: RetentionDays.ONE_DAY,
      });
      return (fn.fn.node.findChild('Code') as unknown as { assetPath: string }).assetPath;
    };
    const [setsPasswords, readsOnly] = [assetOf('users-create'), assetOf('users-get')];
    app.synth();
    expect(readdirSync(join(app.outdir, setsPasswords)).sort()).toEqual([
      'common-passwords.txt',
      'index.mjs',
      'index.mjs.map',
    ]);
    expect(readdirSync(join(app.outdir, readsOnly)).sort()).toEqual(['index.mjs', 'index.mjs.map']);
  }, 60_000);
});
