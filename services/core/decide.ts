import { judge, type ShortCircuitVerdict, type Verdict } from './verdict.js';

/** One participation as read from the log. */
export interface ParticipationRequest {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  /** The API already gave this answer (the campaign was sold out): recorded, not decided again. */
  readonly answered?: ShortCircuitVerdict;
}

/** What the database knew before the batch: the only inputs besides the batch itself. */
export interface DecisionState {
  /** Remaining stock per known campaign; a campaign missing here does not exist. */
  readonly stock: ReadonlyMap<number, number>;
  /** Users who already won, per campaign. Only users appearing in the batch need to be present. */
  readonly winners: ReadonlyMap<number, ReadonlySet<number>>;
  /**
   * Request ids decided or answered before (by earlier batches, the sync path or a short-circuit
   * answer; only those appearing in the batch need to be present), with whose request they were: a retry of the same request is decided once, and an id reused for
   * another user or campaign is refused.
   */
  readonly decidedRequestIds: ReadonlyMap<string, RequestOwner>;
}

/** Whose request an id names: the same id with another owner is a different request. */
export interface RequestOwner {
  readonly campaignId: number;
  readonly userId: number;
}

export type Outcome<R extends ParticipationRequest = ParticipationRequest> =
  | { readonly kind: 'decided'; readonly request: R; readonly verdict: Verdict }
  /** An answer the API gave before the decision: it takes no stock and makes no winner. */
  | { readonly kind: 'answered'; readonly request: R; readonly verdict: ShortCircuitVerdict }
  | { readonly kind: 'already-decided'; readonly request: R }
  /** The id was decided for another user or campaign: refused, never silently dropped. */
  | { readonly kind: 'request-id-reused'; readonly request: R; readonly owner: RequestOwner }
  | { readonly kind: 'unknown-campaign'; readonly request: R };

export interface CampaignDelta {
  readonly campaignId: number;
  success: number;
  soldOut: number;
  duplicate: number;
}

export interface BatchDecision<R extends ParticipationRequest = ParticipationRequest> {
  /** One outcome per request, in the batch's (log) order. */
  readonly outcomes: Outcome<R>[];
  /** Counter changes per campaign touched by at least one decided request. Stock taken = success. */
  readonly deltas: Map<number, CampaignDelta>;
}

/**
 * Decides a batch in order. Pure: no I/O, no clock, the inputs are not mutated. Deciding a log
 * in several batches gives the same verdicts as deciding it in one, provided each batch's state
 * reflects the previous batches' effects.
 */
export function decideBatch<R extends ParticipationRequest>(requests: readonly R[], state: DecisionState): BatchDecision<R> {
  const stock = new Map(state.stock);
  const newWinners = new Map<number, Set<number>>();
  const seenRequestIds = new Map<string, RequestOwner>();
  const deltas = new Map<number, CampaignDelta>();
  const outcomes: Outcome<R>[] = [];

  for (const request of requests) {
    const owner = state.decidedRequestIds.get(request.requestId) ?? seenRequestIds.get(request.requestId);
    if (owner !== undefined) {
      const sameRequest = owner.campaignId === request.campaignId && owner.userId === request.userId;
      outcomes.push(sameRequest ? { kind: 'already-decided', request } : { kind: 'request-id-reused', request, owner });
      continue;
    }
    const left = stock.get(request.campaignId);
    if (left === undefined) {
      outcomes.push({ kind: 'unknown-campaign', request });
      continue;
    }
    seenRequestIds.set(request.requestId, { campaignId: request.campaignId, userId: request.userId });
    if (request.answered !== undefined) {
      outcomes.push({ kind: 'answered', request, verdict: request.answered });
      continue;
    }

    let batchWinners = newWinners.get(request.campaignId);
    const alreadyWon =
      (state.winners.get(request.campaignId)?.has(request.userId) ?? false) || (batchWinners?.has(request.userId) ?? false);
    const verdict = judge(alreadyWon, left);

    let delta = deltas.get(request.campaignId);
    if (delta === undefined) {
      delta = { campaignId: request.campaignId, success: 0, soldOut: 0, duplicate: 0 };
      deltas.set(request.campaignId, delta);
    }
    if (verdict === 'SUCCESS') {
      stock.set(request.campaignId, left - 1);
      if (batchWinners === undefined) {
        batchWinners = new Set();
        newWinners.set(request.campaignId, batchWinners);
      }
      batchWinners.add(request.userId);
      delta.success += 1;
    } else if (verdict === 'SOLD_OUT') {
      delta.soldOut += 1;
    } else {
      delta.duplicate += 1;
    }
    outcomes.push({ kind: 'decided', request, verdict });
  }
  return { outcomes, deltas };
}
