/**
 * Section 6: dollars per million requests per route, from the measured figures and the price
 * table (bench/prices.ts), and a month of 10,000 active users next to Cognito.
 *
 * Billed Lambda duration is modelled, not measured: this machine's CPU time per request scaled
 * to the function's share of a vCPU, plus a round trip per DynamoDB call and per email, plus
 * any wait the handler makes on purpose. The constants below say what is assumed.
 */
import type { BundleResult } from './bundles.js';
import { PRICES } from './prices.js';
import type { RouteRun, Scale } from './types.js';

export const ASSUMPTIONS = {
  /** In-region DynamoDB round trip per call, ms (single-digit ms is DynamoDB's usual figure). */
  dynamoRoundTripMs: 5,
  /** SES SendEmail round trip, ms. */
  sesRoundTripMs: 40,
  /** One core of this machine ≈ one Lambda vCPU (Graviton2). */
  cpuSpeedFactor: 1,
  /** Share of requests that start a new execution environment (INIT billed since Aug 2025). */
  coldStartRate: 0.03,
  /** Log bytes per request: the request line (~400 B) + Lambda START/END/REPORT (~300 B). */
  logBytesPerRequest: 700,
  /** X-Ray default sampling: the first request each second, then 5% of the rest. */
  xrayReservoirPerSecond: 1,
  xrayRate: 0.05,
  /** Business-hours seconds in a month (22 days × 9 h): when the traffic happens. */
  activeSecondsPerMonth: 22 * 9 * 3600,
} as const;

/**
 * A month of 10,000 active users: 1,000 accounts of 10 users, one admin each. Counts are
 * requests per month per user (every user, admins included) and per admin (on top).
 */
export const USAGE = {
  activeUsers: 10_000,
  admins: 1_000,
  perUser: {
    login: 22,
    'login (wrong password)': 1,
    me: 44,
    account: 22,
    'employees-list': 22,
    logout: 4,
    'me-password': 0.3,
    'forgot-password': 0.1,
    'reset-page': 0.1,
    'reset-password': 0.1,
  } as Record<string, number>,
  perAdmin: {
    'users-list': 20,
    'users-get': 10,
    'users-create': 0.5,
    'users-update': 1,
    'users-update (password)': 0.2,
    'users-delete': 0.3,
    'audit-log': 4,
    'employees-create': 2,
    'employees-update': 2,
    'employees-delete': 0.5,
  } as Record<string, number>,
  /** GET /v1/openapi.json per month (tooling, docs). */
  openapi: 1_000,
  /** The hourly cleanup job. */
  cleanupRuns: 24 * 30,
} as const;

export type RouteCost = {
  label: string;
  memoryMb: number;
  cpuMs: number;
  modelMs: number;
  billedMs: number;
  /** $ per million requests, by part. */
  lambdaCompute: number;
  lambdaRequests: number;
  httpApi: number;
  dynamodb: number;
  ses: number;
  init: number;
  total: number;
};

const cpuShare = (memoryMb: number) =>
  Math.min(1, memoryMb / PRICES.lambda.fullVcpuMemoryMb) * ASSUMPTIONS.cpuSpeedFactor;

const gbSeconds = (memoryMb: number, ms: number) => (memoryMb / 1024) * (ms / 1000);

export function routeCosts(routes: RouteRun[], bundles: BundleResult[]): RouteCost[] {
  const M = 1e6;
  return routes.map((r) => {
    const s = r.summary;
    const work =
      r.cpu.p50 / cpuShare(r.memoryMb) +
      s.calls * ASSUMPTIONS.dynamoRoundTripMs +
      r.emails * ASSUMPTIONS.sesRoundTripMs;
    const fixed = r.route === 'forgot-password' ? forgotFloorMs(r) : 0;
    const modelMs = Math.max(work, fixed);
    const billedMs = Math.ceil(modelMs);
    const bundle = bundles.find((b) => b.id === r.route);
    // INIT: the whole fresh process of section 1 (node start + import), at this memory's CPU.
    const initMs = bundle ? bundle.processMs / cpuShare(r.memoryMb) : 0;
    const lambdaCompute = gbSeconds(r.memoryMb, billedMs) * PRICES.lambda.arm64PerGbSecond * M;
    const lambdaRequests = PRICES.lambda.perRequest * M;
    const httpApi = PRICES.httpApi.perRequest * M;
    const dynamodb =
      (s.readUnits * PRICES.dynamodb.perReadRequestUnit +
        s.writeUnits * PRICES.dynamodb.perWriteRequestUnit) *
      M;
    const ses = r.emails * PRICES.ses.perEmail * M;
    const init =
      ASSUMPTIONS.coldStartRate *
      gbSeconds(r.memoryMb, Math.ceil(initMs)) *
      PRICES.lambda.arm64PerGbSecond *
      M;
    return {
      label: r.label,
      memoryMb: r.memoryMb,
      cpuMs: r.cpu.p50,
      modelMs,
      billedMs,
      lambdaCompute,
      lambdaRequests,
      httpApi,
      dynamodb,
      ses,
      init,
      total: lambdaCompute + lambdaRequests + httpApi + dynamodb + ses + init,
    };
  });
}

/** forgot-password answers no sooner than FORGOT_PASSWORD_MIN_MS (default 400) deployed. */
function forgotFloorMs(r: RouteRun): number {
  const m = /waits until (\d+) ms/.exec(r.note ?? '');
  return m ? Number(m[1]) : 0;
}

export type MonthLine = { item: string; requests: number; cost: number; note?: string };

export type Month = {
  lines: MonthLine[];
  requests: number;
  /** Lambda + HTTP API + DynamoDB + SES + INIT + Secrets Manager (the scope). */
  core: number;
  /** CloudWatch Logs + X-Ray on top. */
  observability: number;
  total: number;
  perUser: number;
  cognito: { tier: string; perMau: number; withFreeTier: number; listPrice: number }[];
  /** The same comparison at 100,000 active users, everything scaled linearly. */
  at100k: { ours: number; essentials: number; lite: number };
};

export function month(costs: RouteCost[], scale: Scale | undefined): Month {
  const lines: MonthLine[] = [];
  const M = 1e6;
  let requests = 0;
  let core = 0;
  const add = (item: string, n: number, costPerM: number, note?: string) => {
    const cost = (n * costPerM) / M;
    lines.push({ item, requests: n, cost, ...(note ? { note } : {}) });
    requests += n;
    core += cost;
  };
  for (const c of costs) {
    const n =
      (USAGE.perUser[c.label] ?? 0) * USAGE.activeUsers +
      (USAGE.perAdmin[c.label] ?? 0) * USAGE.admins +
      (c.label === 'openapi' ? USAGE.openapi : 0);
    if (n > 0) add(c.label, n, c.total);
  }
  // The cleanup job: no API, 512 MB, its measured run (100 tokens: an upper bound per hour).
  const last = scale?.steps.at(-1)?.cleanup;
  if (last) {
    const ms = Math.ceil(
      last.cpuMs / cpuShare(512) + last.calls.calls * ASSUMPTIONS.dynamoRoundTripMs,
    );
    const perRun =
      gbSeconds(512, ms) * PRICES.lambda.arm64PerGbSecond +
      PRICES.lambda.perRequest +
      last.calls.readUnits * PRICES.dynamodb.perReadRequestUnit +
      last.calls.writeUnits * PRICES.dynamodb.perWriteRequestUnit;
    lines.push({
      item: 'cleanup job (hourly, 100 tokens each: upper bound)',
      requests: USAGE.cleanupRuns,
      cost: perRun * USAGE.cleanupRuns,
    });
    core += perRun * USAGE.cleanupRuns;
  }
  const coldStarts = requests * ASSUMPTIONS.coldStartRate;
  const secrets =
    PRICES.secretsManager.perSecretMonth + coldStarts * PRICES.secretsManager.perApiCall;
  lines.push({
    item: 'Secrets Manager (1 secret + GetSecretValue per cold start)',
    requests: Math.round(coldStarts),
    cost: secrets,
  });
  core += secrets;
  const logs =
    ((requests * ASSUMPTIONS.logBytesPerRequest) / 1024 ** 3) * PRICES.cloudwatchLogs.perGbIngested;
  const perSecond = requests / ASSUMPTIONS.activeSecondsPerMonth;
  const tracedShare =
    Math.min(1, ASSUMPTIONS.xrayReservoirPerSecond / Math.max(perSecond, 1e-9)) +
    ASSUMPTIONS.xrayRate * Math.max(0, 1 - ASSUMPTIONS.xrayReservoirPerSecond / perSecond);
  const traces = requests * Math.min(1, tracedShare);
  const xray = Math.max(0, traces - PRICES.xray.freeTracesPerMonth) * PRICES.xray.perTraceRecorded;
  lines.push({
    item: `CloudWatch Logs (${ASSUMPTIONS.logBytesPerRequest} B/request)`,
    requests,
    cost: logs,
  });
  lines.push({
    item: `X-Ray, tracing ACTIVE (≈${Math.round(traces).toLocaleString('en-US')} traces)`,
    requests,
    cost: xray,
  });
  const observability = logs + xray;
  const total = core + observability;
  const { cognito } = PRICES;
  const tiers = [
    { tier: 'Cognito Essentials', perMau: cognito.essentialsPerMau },
    { tier: 'Cognito Lite', perMau: cognito.litePerMau },
  ].map((t) => ({
    ...t,
    withFreeTier: Math.max(0, USAGE.activeUsers - cognito.freeMaus) * t.perMau,
    listPrice: USAGE.activeUsers * t.perMau,
  }));
  return {
    lines,
    requests,
    core,
    observability,
    total,
    perUser: total / USAGE.activeUsers,
    cognito: tiers,
    at100k: {
      ours: total * 10,
      essentials: (100_000 - cognito.freeMaus) * cognito.essentialsPerMau,
      lite: (100_000 - cognito.freeMaus) * cognito.litePerMau,
    },
  };
}
