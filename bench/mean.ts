/** The mean of one figure over runs of the same side. */
export function mean<T>(runs: readonly T[], f: (r: T) => number): number {
  return runs.reduce((sum, r) => sum + f(r), 0) / runs.length;
}
