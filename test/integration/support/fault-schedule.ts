/** A seeded schedule of faults, so that a run that failed can be run again the same way. Pure. */

export const FAULT_TARGETS = ['consumer', 'broker', 'database', 'api'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];
/** kill: SIGKILL, then a restart after the outage; pause: SIGSTOP, then SIGCONT. */
export type FaultKind = 'kill' | 'pause';

export interface Fault {
  /** Milliseconds after the faults begin; a fault never starts before the previous one has recovered. */
  readonly atMs: number;
  readonly target: FaultTarget;
  readonly kind: FaultKind;
  /** How long the process stays dead or frozen. */
  readonly outageMs: number;
}

/** mulberry32: small, fast, and the same sequence on every machine for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface ScheduleOptions {
  /** Faults start within this many milliseconds, once every process has had both kinds. */
  readonly durationMs: number;
  readonly outageMs: { readonly min: number; readonly max: number };
  /** Quiet time between one fault's end and the next one's start. */
  readonly gapMs: { readonly min: number; readonly max: number };
}

/**
 * Faults one after another until `durationMs`. Every target is hit by both kinds before any
 * pair repeats (in an order the seed shuffles), and the first round is always complete, so a
 * short run still covers them all.
 */
export function faultSchedule(seed: number, options: ScheduleOptions): Fault[] {
  const random = seededRandom(seed);
  const between = (r: { min: number; max: number }) => Math.round(r.min + random() * (r.max - r.min));
  const pairs = FAULT_TARGETS.flatMap((target) => (['kill', 'pause'] as const).map((kind) => ({ target, kind })));
  const faults: Fault[] = [];
  let deck: { target: FaultTarget; kind: FaultKind }[] = [];
  let at = between(options.gapMs);
  while (at < options.durationMs || faults.length < pairs.length) {
    if (deck.length === 0) {
      deck = [...pairs];
      for (let i = deck.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [deck[i], deck[j]] = [deck[j] as (typeof deck)[number], deck[i] as (typeof deck)[number]];
      }
    }
    const next = deck.pop() as (typeof deck)[number];
    const outageMs = between(options.outageMs);
    faults.push({ atMs: at, ...next, outageMs });
    at += outageMs + between(options.gapMs);
  }
  return faults;
}

export function describeFault(f: Fault): string {
  const action = f.kind === 'kill' ? 'SIGKILL, restart after' : 'SIGSTOP, SIGCONT after';
  return `+${(f.atMs / 1000).toFixed(1)} s  ${f.target.padEnd(8)} ${action} ${(f.outageMs / 1000).toFixed(1)} s`;
}
