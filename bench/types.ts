/** Results the workload child (bench/workload.ts) hands back to bench/run.ts over IPC. */
import type { CallSummary, DbCall } from './counter.js';
import type { Summary } from './stats.js';

export type Target = {
  /** What the issue asks, in words. */
  text: string;
  maxCalls?: number;
  maxReads?: number;
  maxWrites?: number;
  /** Exactly this many TransactWriteItems. */
  transactions?: number;
};

export type RouteRun = {
  label: string;
  route: string;
  memoryMb: number;
  bcrypt: boolean;
  /** What the counted request did (one warm request). */
  request: string;
  calls: DbCall[];
  summary: CallSummary;
  emails: number;
  target?: Target;
  /** Why the route misses its target (when it does). */
  misses: string[];
  cpu: Summary;
  wall: Summary;
  /** Fixed wall time the handler waits on purpose (forgot-password's floor), deployed. */
  note?: string;
};

export type Overhead = {
  runs: number;
  full: Summary;
  bare: Summary;
  fullWall: Summary;
  bareWall: Summary;
  /** p50(full) − p50(bare), ms of CPU. */
  overheadP50: number;
  /** The full stack with a token it has not verified before (jose's check on every request). */
  fullNewToken: Summary;
  /** p50(fullNewToken) − p50(bare). */
  overheadNewTokenP50: number;
  /** GET /v1/me with its BatchGetItem answered in-process: the stack's own CPU, no SDK. */
  stackAlone: Summary;
  /** Parts of the stack measured on their own (µs per call, p50). */
  parts: { name: string; p50Us: number; n: number }[];
};

/** One list page at one table size: its latency, CPU and DynamoDB calls. */
export type PageRun = { wall: Summary; cpu: Summary; calls: CallSummary; items: number };

export type ScaleStep = {
  users: number;
  tableItems: number;
  seedMs: number;
  seededItems: number;
  firstPage: PageRun;
  nextPage: PageRun;
  cleanup: {
    expired: number;
    live: number;
    removed: number;
    read: number;
    wallMs: number;
    cpuMs: number;
    calls: CallSummary;
  };
};

export type Scale = { runs: number; steps: ScaleStep[]; note: string };

export type WorkloadResult = {
  routes: RouteRun[];
  overhead: Overhead;
  scale: Scale;
  settings: Record<string, string | number>;
};

export type WorkloadMessage =
  | { type: 'progress'; line: string }
  | { type: 'result'; result: WorkloadResult }
  | { type: 'error'; message: string; stack?: string };
