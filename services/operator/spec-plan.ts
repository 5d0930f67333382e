import type { CampaignSpec } from './campaign-resource.js';

/** The database row's fields a spec controls. */
export interface CampaignRowSpec {
  readonly name: string;
  readonly totalStock: number;
  readonly successCount: number;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
}

export interface SpecChange {
  readonly name?: string;
  readonly totalStock?: number;
  readonly startsAt?: Date | null;
  readonly endsAt?: Date | null;
}

export type SpecPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'update'; readonly change: SpecChange; readonly stockRefused: string | null }
  | { readonly kind: 'refused'; readonly stockRefused: string };

const instant = (s: string | undefined): Date | null => (s === undefined ? null : new Date(s));
const sameInstant = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/**
 * What to do to the database row for a spec. Stock below the winners already decided cannot be
 * honoured (winners are never taken back): that part is refused with a reason, the rest applies.
 */
export function planSpecChange(spec: CampaignSpec, row: CampaignRowSpec): SpecPlan {
  const change: { -readonly [K in keyof SpecChange]: SpecChange[K] } = {};
  let stockRefused: string | null = null;
  if (spec.displayName !== row.name) change.name = spec.displayName;
  if (spec.totalStock !== row.totalStock) {
    if (spec.totalStock < row.successCount) {
      stockRefused = `totalStock ${spec.totalStock} is below the ${row.successCount} winners already decided; keeping ${row.totalStock}`;
    } else {
      change.totalStock = spec.totalStock;
    }
  }
  const startsAt = instant(spec.startsAt);
  const endsAt = instant(spec.endsAt);
  if (!sameInstant(startsAt, row.startsAt)) change.startsAt = startsAt;
  if (!sameInstant(endsAt, row.endsAt)) change.endsAt = endsAt;
  if (Object.keys(change).length > 0) return { kind: 'update', change, stockRefused };
  return stockRefused === null ? { kind: 'none' } : { kind: 'refused', stockRefused };
}

/** The new current stock when total stock moves: the difference is added to (or taken from) what is left. */
export function stockAfterChange(current: { totalStock: number; currentStock: number }, totalStock: number): number {
  return current.currentStock + (totalStock - current.totalStock);
}
