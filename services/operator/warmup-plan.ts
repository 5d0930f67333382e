import type { Phase } from './campaign-resource.js';

/** What a Campaign asks for: `apiReplicas` API pods at least, from `leadTime` before startsAt. */
export interface WarmupSpec {
  readonly apiReplicas: number;
  /** A duration such as "90s", "10m" or "1h30m" (hours, minutes, seconds). */
  readonly leadTime: string;
}

/** Pending before its lead time, Warm from then until the campaign ends or sells out, Done after. */
export type WarmupState = 'Pending' | 'Warm' | 'Done';

export interface WarmupCandidate {
  readonly name: string;
  readonly warmup: WarmupSpec;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  /** The campaign's phase from the database counters: SoldOut and Ended need no more capacity. */
  readonly phase: Phase;
}

export interface FloorPlan {
  /** The HPA's minReplicas now: the chart's floor, or the highest warmup in force, at most maxReplicas. */
  readonly minReplicas: number;
  /** The campaigns whose warmup is in force, by name. */
  readonly warmedBy: readonly string[];
  /** Whether a warmup asked for more than maxReplicas and got maxReplicas. */
  readonly capped: boolean;
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Milliseconds of a duration like "1h30m" or "45s"; throws on anything else (the CRD schema refuses it first). */
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m || text === '') throw new Error(`expected a duration such as 90s, 10m or 1h30m, got ${JSON.stringify(text)}`);
  const [h, min, s] = [m[1], m[2], m[3]].map((x) => Number(x ?? 0)) as [number, number, number];
  return ((h * 60 + min) * 60 + s) * 1000;
}

export function warmFrom(c: Pick<WarmupCandidate, 'warmup' | 'startsAt'>): Date {
  return new Date(c.startsAt.getTime() - durationMs(c.warmup.leadTime));
}

export function warmupState(c: WarmupCandidate, now: Date): WarmupState {
  if (c.phase === 'SoldOut' || c.phase === 'Ended' || (c.endsAt !== null && now >= c.endsAt)) return 'Done';
  return now < warmFrom(c) ? 'Pending' : 'Warm';
}

/**
 * The HPA floor for this instant. It is derived, not remembered: the chart's floor and the
 * campaigns alone decide it, so a controller that restarts (or a standby that takes over) finds
 * the same floor, and restoring it can be neither lost nor done twice. Overlapping warmups do not
 * add up: the highest one wins, since each asks for the capacity its own rush needs.
 */
export function planFloor(candidates: readonly WarmupCandidate[], now: Date, chartFloor: number, maxReplicas: number): FloorPlan {
  let wanted = chartFloor;
  const warmedBy: string[] = [];
  for (const c of candidates) {
    if (warmupState(c, now) !== 'Warm') continue;
    warmedBy.push(c.name);
    wanted = Math.max(wanted, c.warmup.apiReplicas);
  }
  const minReplicas = Math.min(wanted, Math.max(maxReplicas, chartFloor));
  return { minReplicas, warmedBy: warmedBy.sort(), capped: minReplicas < wanted };
}
