/**
 * The esbuild settings of every Lambda bundle, in one place: the CDK functions
 * (constructs/service-function.ts), the bundle load test (test/infra/bundles.test.ts) and the
 * bench all read them, so the test proves the very bundles `cdk deploy` ships. It imports
 * neither aws-cdk-lib nor esbuild at load, so either side can load it cheaply.
 */
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RouteDef, routeList } from '../lib/routes.js';

/** The repository root: handlers live in `functions/`, the lock file beside package.json. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The handler file of a route or job id: `functions/<id>.ts`, exporting `handler`. */
export function handlerEntry(id: string): string {
  return join(PROJECT_ROOT, 'functions', `${id}.ts`);
}

/**
 * Data files a function reads at run time, shipped beside its bundle's index.mjs under their
 * own name (paths from the project root). lib/ finds each beside itself in the sources and
 * beside the bundle in Lambda, by the same relative URL.
 */
export function bundleFiles(route: RouteDef | undefined): string[] {
  return route?.setsPasswords ? ['lib/common-passwords.txt'] : [];
}

/** Lambda runs Node.js 22; esbuild must not emit syntax newer than that. */
export const NODE_TARGET = 'node22';

export const ESBUILD = {
  platform: 'node',
  format: 'esm',
  target: NODE_TARGET,
  // Prefer ESM entry points: smaller bundles, and the AWS SDK's ESM build tree-shakes.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  // Keeps the .map small; stack traces only need names and positions.
  sourcesContent: false,
  /**
   * ESM output has no `require`. A bundled CommonJS module that requires a Node builtin (as the
   * AWS SDK's CommonJS build does; esbuild falls back to such builds when a package has no
   * `module` entry) would die at load with `Dynamic require of "node:https" is not supported`.
   */
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * Output extension, as NodejsFunction writes ESM (`index.mjs`): `.mjs` makes Node load the
 * bundle as ESM without a package.json beside it.
 */
export const BUNDLE_EXTENSION = '.mjs';

/** The configuration every function receives (the stack's context, resolved). */
export type FunctionSettings = {
  readonly tableName: string;
  readonly appUrl: string;
  readonly mailFrom: string;
  readonly resetTokenTtlMinutes: number;
  readonly tokenTtlSeconds: number;
  readonly bcryptCost: number;
};

/**
 * The environment variables of every function, in one place: the stack sets exactly these
 * (plus SIGNING_SECRET_ARN where a function needs the key), and the bundle load test and the
 * bench import each bundle under them, so they prove what Lambda will run.
 */
export function functionEnvironment(s: FunctionSettings): Record<string, string> {
  return {
    TABLE_NAME: s.tableName,
    APP_URL: s.appUrl,
    MAIL_FROM: s.mailFrom,
    RESET_TOKEN_TTL_MINUTES: String(s.resetTokenTtlMinutes),
    TOKEN_TTL_SECONDS: String(s.tokenTtlSeconds),
    BCRYPT_COST: String(s.bcryptCost),
    SERVICE_NAME: 'capptro-user-management',
    // Stack traces of the minified bundle point into the TypeScript sources.
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/** Sample settings (cdk.json's defaults) for checks that run a bundle outside AWS. */
export const SAMPLE_SETTINGS: FunctionSettings = {
  tableName: 'capptro-users',
  appUrl: 'https://app.capptro.example',
  mailFrom: 'no-reply@capptro.example',
  resetTokenTtlMinutes: 60,
  tokenTtlSeconds: 3600,
  bcryptCost: 11,
};

/** A signing-secret ARN of the right shape, for the same checks. */
export const SAMPLE_SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:SigningKey-abc123';

/**
 * Bundle entry points into `outdir` (`<name>.mjs` and its map) with the settings above, and
 * put every route's data files beside them: what Lambda would load, for the bundle test and
 * the bench (the CDK bundles through NodejsFunction instead). One build for all entry points,
 * so esbuild parses shared modules once. esbuild is imported here, not at the top, so the CDK
 * side can load this module without it.
 */
export async function buildBundles(entryPoints: Record<string, string>, outdir: string) {
  const { build } = await import('esbuild');
  const { metafile } = await build({
    ...ESBUILD,
    mainFields: [...ESBUILD.mainFields],
    banner: { js: ESBUILD.banner },
    bundle: true,
    metafile: true,
    absWorkingDir: PROJECT_ROOT,
    entryPoints,
    outdir,
    outExtension: { '.js': BUNDLE_EXTENSION },
    logLevel: 'silent',
  });
  for (const file of new Set(routeList().flatMap(bundleFiles))) {
    await copyFile(join(PROJECT_ROOT, file), join(outdir, basename(file)));
  }
  return metafile;
}
