/**
 * Every price the benchmark's cost figures use, in one place. Region us-east-1 (N. Virginia),
 * list prices in USD from the public AWS pricing pages as read for 2025/2026, first (cheapest to
 * reach) tier, no free tier and no Savings Plans unless a line says so. Change a figure here and
 * the whole cost section follows.
 */
export const REGION = 'us-east-1';

export const PRICES = {
  lambda: {
    /** https://aws.amazon.com/lambda/pricing/ — Arm (Graviton2), first 7.5 billion GB-s/month. */
    arm64PerGbSecond: 0.0000133334,
    /** Same page: $0.20 per 1M requests, either architecture. */
    perRequest: 0.2 / 1e6,
    /**
     * Same page: since 1 Aug 2025 the INIT phase of on-demand functions is billed like any
     * other duration (before, managed runtimes had it free). Cold starts therefore cost money.
     */
    initBilled: true,
    /** Same page, permanent monthly free tier (shown for reference, not applied per request). */
    freeRequestsPerMonth: 1_000_000,
    freeGbSecondsPerMonth: 400_000,
    /** 1,769 MB is one full vCPU (Lambda configuration docs); CPU scales with memory below it. */
    fullVcpuMemoryMb: 1769,
  },
  httpApi: {
    /** https://aws.amazon.com/api-gateway/pricing/ — HTTP APIs, first 300M requests/month. */
    perRequest: 1.0 / 1e6,
  },
  dynamodb: {
    /**
     * https://aws.amazon.com/dynamodb/pricing/on-demand/ — on-demand, Standard table class,
     * after the November 2024 price cut: $0.125 per million read request units and $0.625 per
     * million write request units. One RRU = one strongly consistent read up to 4 KB (half for
     * eventually consistent, two for transactional); one WRU = one write up to 1 KB (two for
     * transactional); every index an item is written to costs its own WRUs.
     */
    perReadRequestUnit: 0.125 / 1e6,
    perWriteRequestUnit: 0.625 / 1e6,
    /** Same page: storage, first 25 GB/month free. */
    perGbMonth: 0.25,
  },
  ses: {
    /** https://aws.amazon.com/ses/pricing/ — $0.10 per 1,000 outbound emails. */
    perEmail: 0.1 / 1000,
  },
  secretsManager: {
    /** https://aws.amazon.com/secrets-manager/pricing/ — $0.40 per secret-month. */
    perSecretMonth: 0.4,
    /** Same page: $0.05 per 10,000 API calls (one GetSecretValue per cold start). */
    perApiCall: 0.05 / 10_000,
  },
  cloudwatchLogs: {
    /** https://aws.amazon.com/cloudwatch/pricing/ — Standard log ingestion, $0.50 per GB. */
    perGbIngested: 0.5,
  },
  xray: {
    /** https://aws.amazon.com/xray/pricing/ — $5.00 per million traces recorded. */
    perTraceRecorded: 5.0 / 1e6,
    /** Same page: first 100,000 traces recorded per month are free. */
    freeTracesPerMonth: 100_000,
  },
  cognito: {
    /**
     * https://aws.amazon.com/cognito/pricing/ — User pools, per monthly active user, after the
     * first 10,000 MAUs free (Lite and Essentials tiers, direct or social sign-in).
     */
    essentialsPerMau: 0.015,
    litePerMau: 0.0055,
    freeMaus: 10_000,
  },
} as const;
