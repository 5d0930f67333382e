import { randomUUID } from 'node:crypto';
import type { Campaign } from '../../db/campaign-store.js';
import type { Participation } from '../../db/participation-store.js';
import { ProduceFailedError, type Acknowledged, type OutgoingMessage } from '../../kafka/batching-producer.js';
import { encodeParticipation } from '../../kafka/participation-message.js';
import { AppError, NotFoundError, UnavailableError } from '../http/errors.js';
import { campaignState } from '../campaigns/views.js';
import type { AcceptCounter } from './accept-counter.js';

export interface Producer {
  send(message: OutgoingMessage): Promise<Acknowledged>;
}

export interface IngestDeps {
  campaigns: { get(id: number): Promise<Campaign | null> };
  decided: { findByRequestId(requestId: string): Promise<Participation | null> };
  producer: Producer;
  accepts: AcceptCounter;
  /** Partitions of the topic; 1 except in the partition experiment. */
  partitions: () => number;
  clock?: () => Date;
}

export type IngestResult =
  | { kind: 'accepted'; requestId: string; ack: Acknowledged }
  | { kind: 'sold-out'; requestId: string }
  | { kind: 'already-decided'; participation: Participation };

export interface BulkResult {
  requested: number;
  published: number;
  failed: number;
  publishMs: number;
}

export class IngestService {
  private readonly clock: () => Date;
  constructor(private readonly deps: IngestDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Answers only once the broker has the event: an accepted request is never lost. */
  async participate(campaignId: number, userId: number, clientRequestId: string | undefined): Promise<IngestResult> {
    if (clientRequestId !== undefined) {
      const earlier = await this.deps.decided.findByRequestId(clientRequestId);
      if (earlier) {
        if (earlier.campaignId !== campaignId || earlier.userId !== userId) {
          throw new AppError('IDEMPOTENCY_KEY_REUSED', `requestId ${clientRequestId} was already used for another campaign or user`);
        }
        return { kind: 'already-decided', participation: earlier };
      }
    }
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`);
    const now = this.clock();
    const state = campaignState(campaign, now);
    if (state === 'SCHEDULED') throw new AppError('CAMPAIGN_NOT_STARTED', `campaign ${campaignId} has not started yet`);
    if (state === 'ENDED') throw new AppError('CAMPAIGN_ENDED', `campaign ${campaignId} has ended`);
    const requestId = clientRequestId ?? randomUUID();
    if (state === 'SOLD_OUT') return { kind: 'sold-out', requestId };

    try {
      const ack = await this.publish(campaignId, userId, requestId, now);
      return { kind: 'accepted', requestId, ack };
    } catch (err) {
      if (err instanceof ProduceFailedError) {
        throw new UnavailableError('BROKER_UNAVAILABLE', 'the broker did not acknowledge the request; retry with the same requestId', err, { requestId });
      }
      throw err;
    }
  }

  /** Synthetic load straight into the log, for experiments; users are startUserId, startUserId+1, … */
  async publishBulk(campaignId: number, count: number, startUserId: number): Promise<BulkResult> {
    const campaign = await this.deps.campaigns.get(campaignId);
    if (!campaign) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`);
    const started = performance.now();
    const now = this.clock();
    const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => this.publish(campaignId, startUserId + i, randomUUID(), now)));
    const published = results.filter((r) => r.status === 'fulfilled').length;
    return { requested: count, published, failed: count - published, publishMs: Math.round(performance.now() - started) };
  }

  private async publish(campaignId: number, userId: number, requestId: string, acceptedAt: Date): Promise<Acknowledged> {
    const ack = await this.deps.producer.send({
      key: String(campaignId),
      value: encodeParticipation({ v: 1, requestId, campaignId, userId, acceptedAt: acceptedAt.toISOString() }),
      partition: userId % this.deps.partitions(),
    });
    this.deps.accepts.add(campaignId);
    return ack;
  }
}
