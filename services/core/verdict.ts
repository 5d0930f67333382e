export const VERDICTS = ['SUCCESS', 'SOLD_OUT', 'DUPLICATE'] as const;
export type Verdict = (typeof VERDICTS)[number];
/** The verdicts an answer given before the decision can carry: with no stock left, only refusals. */
export const SHORT_CIRCUIT_VERDICTS = ['SOLD_OUT', 'DUPLICATE'] as const satisfies readonly Verdict[];
export type ShortCircuitVerdict = (typeof SHORT_CIRCUIT_VERDICTS)[number];

/** What decided a participation: the consumer in log order, participation-sync, or the sold-out short circuit. */
export const DECISION_SOURCES = ['KAFKA', 'SYNC', 'SHORT_CIRCUIT'] as const;
export type DecisionSource = (typeof DECISION_SOURCES)[number];

/**
 * The whole first-come-first-served rule for one request, given what came before it:
 * a user who already won is a DUPLICATE (even once stock is gone), otherwise the request wins
 * while stock lasts. Both paths ask it (through decideBatch): the consumer for each batch, the
 * synchronous path for one request with the campaign row locked.
 */
// With no stock left only a refusal is possible; this overload lets a sold-out answer say so in its type.
export function judge(alreadyWon: boolean, stockLeft: 0): ShortCircuitVerdict;
export function judge(alreadyWon: boolean, stockLeft: number): Verdict;
export function judge(alreadyWon: boolean, stockLeft: number): Verdict {
  if (alreadyWon) return 'DUPLICATE';
  return stockLeft > 0 ? 'SUCCESS' : 'SOLD_OUT';
}
