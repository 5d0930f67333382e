import type { DeadLetter } from '../../db/dead-letter-store.js';
import type { Participation, ParticipationStore } from '../../db/participation-store.js';
import type { CampaignService } from '../campaigns/service.js';
import { DomainError, NotFoundError, UnavailableError } from '../../platform/errors.js';
import { timeOrderedId } from '../../platform/request-id.js';

export interface UndecidedCheck {
  undecidedMayExist(): Promise<boolean>;
}

export const PENDING = 'PENDING';

export interface SyncResult {
  participation: Participation;
  replayed: boolean;
}

/** A user's standing in a campaign: their answers, or the refusal of an accepted request that could not be decided. */
export type UserStanding = { kind: 'answered'; answers: Participation[] } | { kind: 'refused'; refusals: DeadLetter[] };

export interface ParticipationServiceDeps {
  campaigns: CampaignService;
  store: ParticipationStore;
  /** Accepted requests set aside instead of decided (dead letters), by campaign and user. */
  refusals: { refusalsOf(campaignId: number, userId: number): Promise<DeadLetter[]> };
  log: UndecidedCheck;
  clock: () => Date;
}

export class ParticipationService {
  constructor(private readonly deps: ParticipationServiceDeps) {}

  async participateSync(campaignId: number, userId: number, clientRequestId: string | undefined): Promise<SyncResult> {
    if (clientRequestId !== undefined) {
      const earlier = await this.deps.store.findByRequestId(clientRequestId);
      if (earlier) return { participation: assertSameRequest(earlier, campaignId, userId), replayed: true };
    }
    await this.deps.campaigns.getParticipable(campaignId);
    const acceptedAt = this.deps.clock();
    const outcome = await this.deps.store.decideSync({
      campaignId,
      userId,
      requestId: clientRequestId ?? timeOrderedId(acceptedAt.getTime()),
      acceptedAt,
      clock: this.deps.clock,
    });
    if (outcome.kind === 'replayed') return { participation: assertSameRequest(outcome.participation, campaignId, userId), replayed: true };
    return { participation: outcome.participation, replayed: false };
  }

  async byRequestId(requestId: string): Promise<Participation | typeof PENDING> {
    const found = await this.lookAfterLogCheck(() => this.deps.store.findByRequestId(requestId));
    if (found.result) return found.result;
    if (found.mayBePending) return PENDING;
    throw new NotFoundError('PARTICIPATION_NOT_FOUND', `no participation with requestId ${requestId}`);
  }

  async byCampaignAndUser(campaignId: number, userId: number): Promise<UserStanding | typeof PENDING> {
    await this.deps.campaigns.get(campaignId);
    const found = await this.lookAfterLogCheck(async (): Promise<UserStanding | null> => {
      const answers = await this.deps.store.findByCampaignAndUser(campaignId, userId);
      if (answers.length > 0) return { kind: 'answered', answers };
      const refusals = await this.deps.refusals.refusalsOf(campaignId, userId);
      return refusals.length > 0 ? { kind: 'refused', refusals } : null;
    });
    if (found.result) return found.result;
    if (found.mayBePending) return PENDING;
    throw new NotFoundError('PARTICIPATION_NOT_FOUND', `user ${userId} has no participation in campaign ${campaignId}`);
  }

  /**
   * A miss is final only if the lookup ran after the log check: the check reads the log end and
   * then the consumer's position, so anything acknowledged before it was committed before a lookup
   * that follows it. The first lookup only spares the common case (decided) the broker round trip.
   */
  private async lookAfterLogCheck<T>(lookup: () => Promise<T | null>): Promise<{ result: T | null; mayBePending: boolean }> {
    const first = await lookup();
    if (first !== null) return { result: first, mayBePending: false };
    let mayBePending: boolean;
    try {
      mayBePending = await this.deps.log.undecidedMayExist();
    } catch (err) {
      throw new UnavailableError('BROKER_UNAVAILABLE', 'cannot tell whether the request is still pending: the broker is unavailable', err);
    }
    return { result: await lookup(), mayBePending };
  }

}

/** A reused request id must describe the same request, or the client has a bug worth hearing about. */
function assertSameRequest(earlier: Participation, campaignId: number, userId: number): Participation {
  if (earlier.campaignId !== campaignId || earlier.userId !== userId) {
    throw new DomainError('IDEMPOTENCY_KEY_REUSED', `requestId ${earlier.requestId} was already used for another campaign or user`);
  }
  return earlier;
}
