import type { FieldChange } from '../db/campaign-resource-store.js';
import type { CampaignSpec } from './campaign-resource.js';

/** The database row's fields a spec controls. */
export interface CampaignRowSpec {
  readonly name: string;
  readonly totalStock: number;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
}

export type SpecPlan = { readonly kind: 'none' } | { readonly kind: 'update'; readonly change: FieldChange };

const instant = (s: string | undefined): Date | null => (s === undefined ? null : new Date(s));
const sameInstant = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/**
 * Which fields of the database row differ from a spec. Whether a new total stock can be honoured
 * is not judged here: only the store can, against the winners counted under its row lock.
 */
export function planSpecChange(spec: CampaignSpec, row: CampaignRowSpec): SpecPlan {
  const change: { -readonly [K in keyof FieldChange]: FieldChange[K] } = {};
  if (spec.displayName !== row.name) change.name = spec.displayName;
  if (spec.totalStock !== row.totalStock) change.totalStock = spec.totalStock;
  const startsAt = instant(spec.startsAt);
  const endsAt = instant(spec.endsAt);
  if (!sameInstant(startsAt, row.startsAt)) change.startsAt = startsAt;
  if (!sameInstant(endsAt, row.endsAt)) change.endsAt = endsAt;
  return Object.keys(change).length > 0 ? { kind: 'update', change } : { kind: 'none' };
}
