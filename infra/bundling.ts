/**
 * The esbuild settings of every Lambda bundle, in one place: the CDK functions
 * (constructs/service-function.ts) and the bundle load test (test/infra/bundles.test.ts) both
 * read them, so the test proves the very bundles `cdk deploy` ships. It imports neither
 * aws-cdk-lib nor esbuild, so either side can load it cheaply.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: handlers live in `functions/`, the lock file beside package.json. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The handler file of a route or job id: `functions/<id>.ts`, exporting `handler`. */
export function handlerEntry(id: string): string {
  return join(PROJECT_ROOT, 'functions', `${id}.ts`);
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
