/** The fields of a coordination.k8s.io Lease that leader election reads. */
export interface LeaseState {
  readonly holderIdentity?: string | null;
  readonly renewTime?: Date | null;
  readonly acquireTime?: Date | null;
  readonly leaseDurationSeconds?: number | null;
  readonly leaseTransitions?: number | null;
}

export type LeaseAction =
  /** We hold it: renew. */
  | { readonly kind: 'renew' }
  /** Free or expired: take it over (one more transition). */
  | { readonly kind: 'acquire'; readonly transitions: number }
  /** Someone else holds a live lease. */
  | { readonly kind: 'wait'; readonly holder: string; readonly expiresAt: Date };

/**
 * What a candidate does with the lease it just read. Writes go with the read resourceVersion, so
 * of two candidates acting on the same expired lease only one succeeds.
 */
export function leaseAction(lease: LeaseState | null, identity: string, now: Date): LeaseAction {
  const holder = lease?.holderIdentity ?? '';
  if (lease === null || holder === '') return { kind: 'acquire', transitions: (lease?.leaseTransitions ?? -1) + 1 };
  if (holder === identity) return { kind: 'renew' };
  const renewed = lease.renewTime ?? lease.acquireTime ?? null;
  const expiresAt = new Date((renewed?.getTime() ?? 0) + (lease.leaseDurationSeconds ?? 0) * 1000);
  if (now >= expiresAt) return { kind: 'acquire', transitions: (lease.leaseTransitions ?? 0) + 1 };
  return { kind: 'wait', holder, expiresAt };
}
