/**
 * The plan table of API.md, as data. Nothing else in the code compares plan ids:
 * everything asks this table for limits and features.
 */
export const PLANS = {
  starter: { name: 'Starter', userLimit: 3, features: { employees: false } },
  professional: { name: 'Professional', userLimit: 10, features: { employees: true } },
  'cloud-standard': { name: 'Cloud Standard', userLimit: 5, features: { employees: false } },
  'cloud-pro': { name: 'Cloud Pro', userLimit: 25, features: { employees: true } },
  enterprise: { name: 'Enterprise', userLimit: null, features: { employees: true } },
} as const satisfies Record<
  string,
  { name: string; userLimit: number | null; features: { employees: boolean } }
>;

export type PlanId = keyof typeof PLANS;
export type Feature = keyof (typeof PLANS)[PlanId]['features'];

export const PLAN_IDS = Object.keys(PLANS) as PlanId[];

/** True when `id` names a plan of the table. */
export function isPlanId(id: string): id is PlanId {
  return Object.hasOwn(PLANS, id);
}

/** The plan's user limit; null means unlimited. */
export function userLimitOf(plan: PlanId): number | null {
  return PLANS[plan].userLimit;
}

/** Whether the plan includes a feature. */
export function planHas(plan: PlanId, feature: Feature): boolean {
  return PLANS[plan].features[feature];
}
