import { randomUUID } from 'node:crypto';
import type { Participation, ParticipationStore } from '../../db/participation-store.js';
import type { CampaignService } from '../campaigns/service.js';
import { AppError, NotFoundError, UnavailableError } from '../http/errors.js';

export interface UndecidedCheck {
  undecidedMayExist(): Promise<boolean>;
}

export const PENDING = 'PENDING';

export interface SyncResult {
  participation: Participation;
  replayed: boolean;
}

export class ParticipationService {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly store: ParticipationStore,
    private readonly log: UndecidedCheck,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async participateSync(campaignId: number, userId: number, clientRequestId: string | undefined): Promise<SyncResult> {
    if (clientRequestId !== undefined) {
      const earlier = await this.store.findByRequestId(clientRequestId);
      if (earlier) return { participation: this.sameRequest(earlier, campaignId, userId), replayed: true };
    }
    await this.campaigns.getParticipable(campaignId);
    const outcome = await this.store.decideSync({
      campaignId,
      userId,
      requestId: clientRequestId ?? randomUUID(),
      acceptedAt: this.clock(),
    });
    if (outcome.kind === 'replayed') return { participation: this.sameRequest(outcome.participation, campaignId, userId), replayed: true };
    return { participation: outcome.participation, replayed: false };
  }

  async byRequestId(requestId: string): Promise<Participation | typeof PENDING> {
    const found = await this.store.findByRequestId(requestId);
    if (found) return found;
    if (await this.mayBePending()) {
      // the consumer may have committed it while we looked at the log
      return (await this.store.findByRequestId(requestId)) ?? PENDING;
    }
    throw new NotFoundError('PARTICIPATION_NOT_FOUND', `no participation with requestId ${requestId}`);
  }

  async byCampaignAndUser(campaignId: number, userId: number): Promise<Participation[] | typeof PENDING> {
    await this.campaigns.get(campaignId);
    const decisions = await this.store.findByCampaignAndUser(campaignId, userId);
    if (decisions.length > 0) return decisions;
    if (await this.mayBePending()) {
      const again = await this.store.findByCampaignAndUser(campaignId, userId);
      return again.length > 0 ? again : PENDING;
    }
    throw new NotFoundError('PARTICIPATION_NOT_FOUND', `user ${userId} has no participation in campaign ${campaignId}`);
  }

  private async mayBePending(): Promise<boolean> {
    try {
      return await this.log.undecidedMayExist();
    } catch (err) {
      throw new UnavailableError('BROKER_UNAVAILABLE', 'cannot tell whether the request is still pending: the broker is unavailable', err);
    }
  }

  /** A reused request id must describe the same request, or the client has a bug worth hearing about. */
  private sameRequest(earlier: Participation, campaignId: number, userId: number): Participation {
    if (earlier.campaignId !== campaignId || earlier.userId !== userId) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', `requestId ${earlier.requestId} was already used for another campaign or user`);
    }
    return earlier;
  }
}
