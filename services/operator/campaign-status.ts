import { campaignState, type CampaignState } from '../core/campaign-state.js';
import type { LinkedCampaign } from '../db/campaign-resource-store.js';
import type { CampaignSpec, CampaignStatus, Condition, Phase, WarmupStatus } from './campaign-resource.js';
import { warmFrom, warmupState, type FloorPlan } from './warmup-plan.js';

/** The database's view of a campaign that status is made from: the O(1) counters and window. */
export type CampaignCounters = Omit<LinkedCampaign, 'name' | 'resourceUid'>;

const PHASES: Record<CampaignState, Phase> = { SCHEDULED: 'Scheduled', OPEN: 'Open', SOLD_OUT: 'SoldOut', ENDED: 'Ended' };

export function phaseOf(c: CampaignCounters, now: Date): Phase {
  return PHASES[campaignState(c, now)];
}

/** A condition the controller wants set, before its transition time is known. */
export interface ConditionWish {
  readonly type: string;
  readonly status: Condition['status'];
  readonly reason: string;
  readonly message: string;
}

/**
 * Merges wished conditions into the current ones: a condition whose status did not change keeps
 * its lastTransitionTime, so an unchanged status compares equal and is not written again.
 */
export function mergeConditions(current: readonly Condition[] | undefined, wishes: readonly ConditionWish[], generation: number, now: Date): Condition[] {
  const byType = new Map((current ?? []).map((c) => [c.type, c]));
  for (const wish of wishes) {
    const before = byType.get(wish.type);
    const lastTransitionTime = before && before.status === wish.status ? before.lastTransitionTime : now.toISOString();
    byType.set(wish.type, { ...wish, observedGeneration: generation, lastTransitionTime });
  }
  return [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
}

export function desiredStatus(c: CampaignCounters, now: Date, generation: number, conditions: readonly Condition[], warmup?: WarmupStatus): CampaignStatus {
  return {
    ...(warmup ? { warmup } : {}),
    phase: phaseOf(c, now),
    campaignId: c.id,
    remainingStock: c.currentStock,
    winners: c.successCount,
    soldOutCount: c.soldOutCount,
    duplicateCount: c.duplicateCount,
    pending: c.pending,
    observedGeneration: generation,
    conditions,
  };
}

/** Whether writing `next` would change anything; key order and absent-vs-undefined do not count. */
export function statusDiffers<S extends object = CampaignStatus>(current: S | undefined, next: S): boolean {
  return canonical(current ?? {}) !== canonical(next);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  });
}

/**
 * A campaign's warmup as status reports it, against the floor the controller last gave the
 * autoscaler (`floor`; undefined: there is no autoscaler to raise).
 */
export function warmupStatus(spec: CampaignSpec, name: string, c: CampaignCounters, now: Date, floor: FloorPlan | undefined): WarmupStatus | undefined {
  if (spec.warmup === undefined || spec.startsAt === undefined) return undefined;
  const candidate = { name, warmup: spec.warmup, startsAt: new Date(spec.startsAt), endsAt: c.endsAt, phase: phaseOf(c, now) };
  const state = warmupState(candidate, now);
  const base = { state, warmFrom: warmFrom(candidate).toISOString() };
  if (state !== 'Warm') return base;
  if (floor === undefined) return { ...base, message: 'no API autoscaler to raise (api.autoscaling.enabled=false)' };
  if (floor.minReplicas < spec.warmup.apiReplicas) {
    return { ...base, apiMinReplicas: floor.minReplicas, message: `apiReplicas ${spec.warmup.apiReplicas} is above the autoscaler's maxReplicas; raised to ${floor.minReplicas}` };
  }
  return { ...base, apiMinReplicas: floor.minReplicas };
}
