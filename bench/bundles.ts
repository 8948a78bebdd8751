/**
 * Section 1: every function of the app (ROUTES + JOBS) and the floor (bench/floor.ts), bundled
 * in one esbuild run with the shared settings of infra/bundling.ts, then imported by fresh
 * `node` processes the way Lambda's INIT does, from a directory with no node_modules.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE_EXTENSION,
  buildBundles,
  bundleFiles,
  ESBUILD,
  functionEnvironment,
  handlerEntry,
  PROJECT_ROOT,
  SAMPLE_SECRET_ARN,
  SAMPLE_SETTINGS,
} from '../infra/bundling.js';
import { JOBS, needsSigningKey, type RouteDef, routeList } from '../lib/routes.js';
import { median } from './stats.js';

export const FLOOR_ID = 'floor';
/** Lambda's default memory (infra/constructs/service-function.ts). */
export const DEFAULT_MEMORY_MB = 512;

/** Packages whose presence in a bundle the report checks against where they belong. */
export const WATCHED = [
  'bcryptjs',
  '@aws-sdk/client-ses',
  'zod-openapi',
  'jose',
  '@zxcvbn-ts/language-common',
] as const;
export type Watched = (typeof WATCHED)[number];

export type BundleResult = {
  id: string;
  kind: 'route' | 'job' | 'floor';
  memoryMb: number;
  bytes: number;
  mapBytes: number;
  /** Data files shipped beside the bundle, read on first use, never at import (bundleFiles). */
  filesBytes: number;
  runs: number;
  /** Median ms around `await import()` inside the child, NODE_OPTIONS=--enable-source-maps. */
  importMs: number;
  /** Median CPU ms (user + system) of the child over the same import: steadier under load. */
  importCpuMs: number;
  /** Median wall ms of the whole child process (spawn to exit), source maps on. */
  processMs: number;
  /** Median ms around `await import()` without --enable-source-maps. */
  importMsNoMaps: number;
  /** Bytes in the output per package (`(own code)` for lib/, functions/, bench/). */
  packages: Record<string, number>;
  contains: Record<Watched, boolean>;
  expected: Record<Watched, boolean>;
};

/** One shared part bundled and imported on its own: what it costs any function that has it. */
export type PartResult = { name: string; bytes: number; importMs: number; importCpuMs: number };

export type BundlesSection = {
  buildMs: number;
  parts: PartResult[];
  runsPerBundle: number;
  measure: string;
  env: Record<string, string>;
  bundles: BundleResult[];
};

/**
 * What the stack sets on every function (functionEnvironment), split so imports can be
 * measured with and without its source-map option.
 */
const { NODE_OPTIONS: SOURCE_MAPS, ...STACK_ENV } = functionEnvironment(SAMPLE_SETTINGS);

/** What Lambda's environment holds at INIT for these functions. */
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  ...STACK_ENV,
  SIGNING_SECRET_ARN: SAMPLE_SECRET_ARN,
};

const LOADER =
  'const c0 = process.cpuUsage(); const t0 = performance.now();' +
  'const m = await import(process.env.BUNDLE_URL);' +
  'const t1 = performance.now(); const c = process.cpuUsage(c0);' +
  'process.stdout.write(JSON.stringify({ ms: t1 - t0, cpuMs: (c.user + c.system) / 1000,' +
  ' handler: typeof m.handler }));';

type Sample = { ms: number; cpuMs: number; processMs: number };

function loadOnce(file: string, sourceMaps: boolean): Promise<Sample> {
  const started = performance.now();
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', LOADER],
      {
        cwd: tmpdir(),
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          ...LAMBDA_ENV,
          ...(sourceMaps ? { NODE_OPTIONS: SOURCE_MAPS } : {}),
          BUNDLE_URL: pathToFileURL(file).href,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const processMs = performance.now() - started;
        if (error) return fail(new Error(`${file} failed to load: ${stderr || error.message}`));
        const out = JSON.parse(stdout) as { ms: number; cpuMs: number; handler: string };
        if (out.handler !== 'function') return fail(new Error(`${file} exports no handler`));
        done({ ms: out.ms, cpuMs: out.cpuMs, processMs });
      },
    );
  });
}

/** The package an esbuild input path belongs to (the innermost node_modules wins). */
function packageOf(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  if (i < 0) return '(own code)';
  const rest = path.slice(i + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
}

function packagesOf(meta: Metafile, outFile: string): Record<string, number> {
  const output = Object.entries(meta.outputs).find(([path]) => resolve(path) === outFile)?.[1];
  if (!output) throw new Error(`no metafile output for ${outFile}`);
  const sizes: Record<string, number> = {};
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    sizes[name] = (sizes[name] ?? 0) + bytesInOutput;
  }
  return Object.fromEntries(Object.entries(sizes).sort((a, b) => b[1] - a[1]));
}

/**
 * Where each watched package belongs: bcryptjs in the functions that hash or compare passwords
 * (the route table gives exactly those their own memory size), SES only with the email grant,
 * jose where the route table grants the signing key (functions that verify or issue tokens:
 * needsSigningKey), zod-openapi and the zxcvbn-ts list nowhere.
 */
function expectedOf(route: RouteDef | undefined): Record<Watched, boolean> {
  return {
    bcryptjs: route?.memoryMb !== undefined,
    '@aws-sdk/client-ses': route?.grants.email === true,
    // The generator's alone: GET /v1/openapi.json serves the committed document.
    'zod-openapi': false,
    jose: route !== undefined && needsSigningKey(route),
    // Its list ships as lib/common-passwords.txt beside the bundles that need it.
    '@zxcvbn-ts/language-common': false,
  };
}

/** Parts of the stack, each bundled alone with the same settings (not additive: shared code). */
const PARTS: { name: string; code: string }[] = [
  {
    name: 'empty handler (what any import costs)',
    code: 'export const handler = async () => 1;',
  },
  {
    name: 'classic zod (import only; what every function carried before zod/mini)',
    code: "import { z } from 'zod'; export const handler = async () => typeof z;",
  },
  {
    name: "zod/mini + one route's schemas (POST /v1/users)",
    code: "import { usersCreate } from './lib/requests.js'; const r = usersCreate(); export const handler = async () => r;",
  },
  {
    name: 'lib/http/authorize.ts (the shared stack of an authenticated route)',
    code: "import { httpHandler } from './lib/http/authorize.js'; export const handler = async () => typeof httpHandler;",
  },
  {
    name: 'jose (jwtVerify + SignJWT)',
    code: "import { jwtVerify, SignJWT } from 'jose'; export const handler = async () => typeof jwtVerify + typeof SignJWT;",
  },
  {
    name: '@middy/core',
    code: "import middy from '@middy/core'; export const handler = async () => typeof middy;",
  },
];

async function benchParts(outdir: string, runs: number): Promise<PartResult[]> {
  const out: PartResult[] = [];
  for (const [i, part] of PARTS.entries()) {
    const file = join(outdir, `part-${i}${BUNDLE_EXTENSION}`);
    await build({
      ...ESBUILD,
      mainFields: [...ESBUILD.mainFields],
      banner: { js: ESBUILD.banner },
      bundle: true,
      absWorkingDir: PROJECT_ROOT,
      stdin: {
        contents: part.code,
        resolveDir: PROJECT_ROOT,
        loader: 'ts',
        sourcefile: `part-${i}.ts`,
      },
      outfile: file,
      logLevel: 'silent',
    });
    const samples: Sample[] = [];
    for (let r = 0; r < runs; r++) samples.push(await loadOnce(file, true));
    out.push({
      name: part.name,
      bytes: (await stat(file)).size,
      importMs: median(samples.map((x) => x.ms)),
      importCpuMs: median(samples.map((x) => x.cpuMs)),
    });
  }
  return out;
}

async function sizeOf(files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await stat(join(PROJECT_ROOT, file))).size;
  return total;
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export async function benchBundles(
  runs: number,
  progress: (line: string) => void,
): Promise<BundlesSection> {
  const routes = routeList();
  const ids = [...routes.map((r) => r.id as string), ...Object.keys(JOBS)];
  const outdir = await mkdtemp(join(tmpdir(), 'capptro-bench-bundles-'));
  try {
    const started = performance.now();
    // One build for every entry point, the floor included, with the settings the CDK uses.
    const metafile = await buildBundles(
      {
        ...Object.fromEntries(ids.map((id) => [id, handlerEntry(id)])),
        [FLOOR_ID]: join(PROJECT_ROOT, 'bench', 'floor.ts'),
      },
      outdir,
    );
    const buildMs = performance.now() - started;
    progress(`bundled ${ids.length} functions + floor in ${(buildMs / 1000).toFixed(1)} s`);

    const all = [...ids, FLOOR_ID];
    const file = (id: string) => join(outdir, `${id}${BUNDLE_EXTENSION}`);
    const samples = new Map(all.map((id) => [id, { maps: [] as Sample[], plain: [] as Sample[] }]));
    // Round-robin in a new random order each round, both modes back to back, one process at a
    // time: drift in the machine's load spreads over every bundle instead of a few.
    for (let r = 0; r < runs; r++) {
      for (const id of shuffle(all)) {
        const s = samples.get(id) as { maps: Sample[]; plain: Sample[] };
        s.maps.push(await loadOnce(file(id), true));
        s.plain.push(await loadOnce(file(id), false));
      }
      progress(`cold imports: round ${r + 1}/${runs}`);
    }

    const parts = await benchParts(outdir, runs);
    progress(`cold imports: ${parts.length} shared parts on their own`);

    const bundles: BundleResult[] = [];
    for (const id of all) {
      const route = routes.find((r) => r.id === id);
      const packages = packagesOf(metafile, file(id));
      const s = samples.get(id) as { maps: Sample[]; plain: Sample[] };
      bundles.push({
        id,
        kind: id === FLOOR_ID ? 'floor' : route ? 'route' : 'job',
        memoryMb: route?.memoryMb ?? DEFAULT_MEMORY_MB,
        bytes: (await stat(file(id))).size,
        mapBytes: (await stat(`${file(id)}.map`)).size,
        filesBytes: await sizeOf(bundleFiles(route)),
        runs,
        importMs: median(s.maps.map((x) => x.ms)),
        importCpuMs: median(s.maps.map((x) => x.cpuMs)),
        processMs: median(s.maps.map((x) => x.processMs)),
        importMsNoMaps: median(s.plain.map((x) => x.ms)),
        packages,
        contains: Object.fromEntries(WATCHED.map((p) => [p, p in packages])) as Record<
          Watched,
          boolean
        >,
        expected: expectedOf(route),
      });
    }
    return {
      buildMs,
      parts,
      runsPerBundle: runs,
      measure:
        'median over runs of performance.now() around `await import(bundle)` inside a fresh ' +
        '`node` (cwd without node_modules, Lambda-like env, NODE_OPTIONS=--enable-source-maps ' +
        'as the stack sets it); CPU = process.cpuUsage() of the child over the same import; ' +
        'process = wall time of the whole child from spawn to exit',
      env: LAMBDA_ENV,
      bundles,
    };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
