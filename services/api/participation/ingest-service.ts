import type { ShortCircuitVerdict } from '../../core/verdict.js';
import type { Campaign } from '../../db/campaign-store.js';
import { ProduceFailedError, type Acknowledged, type OutgoingMessage } from '../../kafka/batching-producer.js';
import { decodeParticipation, encodeParticipation, type ParticipationMessage } from '../../kafka/participation-message.js';
import { assertParticipable } from '../campaigns/service.js';
import { isRetriable, NotFoundError, UnavailableError } from '../../platform/errors.js';
import { timeOrderedId } from '../../platform/request-id.js';
import type { AcceptCounter } from './accept-counter.js';
import type { CachedCampaign } from './campaign-cache.js';
import { partitionOf, type PartitionKey } from './placement.js';

export interface Producer {
  send(message: OutgoingMessage): Promise<Acknowledged>;
}

export interface IngestDeps {
  /** A known campaign at once (a synchronous value), a campaign never seen after one shared read. */
  campaigns: { get(id: number): CachedCampaign | Promise<CachedCampaign | null>; isFresh(entry: CachedCampaign): boolean };
  producer: Producer;
  accepts: AcceptCounter;
  soldOut: { verdict(campaign: Campaign, userId: number, requestId: string): ShortCircuitVerdict | undefined };
  /** Partitions of the topic (1 except in the partition experiment); undefined until the broker has told. */
  partitions: () => number | undefined;
  /** What places a participation on a partition when there are several (PARTITION_KEY). */
  partitionKey: PartitionKey;
  clock?: () => Date;
}

export type IngestResult =
  | { kind: 'accepted'; requestId: string; ack: Acknowledged }
  /** The campaign is sold out: answered at once, the answer recorded through the log. */
  | { kind: 'short-circuit'; requestId: string; status: ShortCircuitVerdict };

export interface BulkResult {
  requested: number;
  /** Acknowledged by the broker: in the log, will be decided. */
  acknowledged: number;
  /** Sent without an acknowledgement in time: each may or may not be in the log. */
  notConfirmed: number;
  /** Never sent, because an earlier chunk was not confirmed. */
  notSent: number;
  publishMs: number;
}

/** Bulk entries in flight at once: bounds memory and leaves the event loop to other requests. */
const BULK_CHUNK = 5_000;

export class IngestService {
  private readonly clock: () => Date;
  constructor(private readonly deps: IngestDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * Answers only once the broker has the event: an accepted request is never lost. Nothing else is
   * waited on for a campaign this process knows: no database read, with or without a requestId. A
   * retry (same requestId) goes to the log again and is decided at most once there, so it is
   * answered PENDING like the first try; its decision is looked up by requestId.
   */
  async participate(campaignId: number, userId: number, clientRequestId: string | undefined): Promise<IngestResult> {
    const known = this.deps.campaigns.get(campaignId);
    const entry = known instanceof Promise ? await known : known;
    if (!entry) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`);
    const now = this.clock();
    const requestId = clientRequestId ?? timeOrderedId(now.getTime());
    const acceptedAt = now.toISOString();
    if (assertParticipable(entry.campaign, now) === 'SOLD_OUT' && this.deps.campaigns.isFresh(entry)) {
      const answered = this.deps.soldOut.verdict(entry.campaign, userId, requestId);
      if (answered !== undefined) {
        // recorded through the log like a decision, so the answer can be looked up by its requestId
        await this.append({ v: 1, requestId, campaignId, userId, acceptedAt, answered });
        return { kind: 'short-circuit', requestId, status: answered };
      }
    }
    const ack = await this.append({ v: 1, requestId, campaignId, userId, acceptedAt });
    return { kind: 'accepted', requestId, ack };
  }

  /**
   * Puts a stored message back on the log unchanged (a dead letter, e.g. once its campaign
   * exists). Throws PoisonMessageError if it is not a valid participation.
   */
  async replay(payload: Buffer | null): Promise<{ requestId: string; ack: Acknowledged }> {
    const message = decodeParticipation(payload);
    return { requestId: message.requestId, ack: await this.append(message) };
  }

  /**
   * Synthetic load straight into the log, for experiments; users are startUserId, startUserId+1, …
   * Published chunk by chunk; the first chunk the broker does not fully acknowledge ends the run,
   * since the broker is then most likely away and every further chunk would only wait for it.
   */
  async publishBulk(campaignId: number, count: number, startUserId: number): Promise<BulkResult> {
    if (!(await this.deps.campaigns.get(campaignId))) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${campaignId} does not exist`);
    const started = performance.now();
    const acceptedAt = this.clock().toISOString();
    let acknowledged = 0;
    let notConfirmed = 0;
    let sent = 0;
    while (sent < count && notConfirmed === 0) {
      const size = Math.min(BULK_CHUNK, count - sent);
      const first = startUserId + sent;
      const results = await Promise.allSettled(
        Array.from({ length: size }, (_, i) => this.append({ v: 1, requestId: timeOrderedId(), campaignId, userId: first + i, acceptedAt })),
      );
      for (const r of results) {
        if (r.status === 'fulfilled') acknowledged++;
        else if (isRetriable(r.reason)) notConfirmed++;
        else throw r.reason;
      }
      sent += size;
    }
    return { requested: count, acknowledged, notConfirmed, notSent: count - sent, publishMs: Math.round(performance.now() - started) };
  }

  /** The one way onto the log: placement, acknowledgement, and the accept count behind `pending`. */
  private async append(message: ParticipationMessage): Promise<Acknowledged> {
    const partitions = this.deps.partitions();
    if (partitions === undefined) {
      // placing it before the partition count is known could put a campaign on two partitions
      throw new UnavailableError('BROKER_UNAVAILABLE', 'the broker has not been reached yet and the request was not recorded; retry with the same requestId', undefined, {
        requestId: message.requestId,
        mayHaveBeenRecorded: false,
      });
    }
    let ack: Acknowledged;
    try {
      ack = await this.deps.producer.send({
        key: String(message.campaignId),
        value: encodeParticipation(message),
        partition: partitionOf(this.deps.partitionKey, partitions, message),
      });
    } catch (err) {
      if (err instanceof ProduceFailedError) {
        const text = err.maybeInLog
          ? 'the broker did not confirm the request in time; it may still be recorded and decided: retry with the same requestId (the same request, decided at most once) or look it up'
          : 'the broker is unavailable and the request was not recorded; retry with the same requestId';
        throw new UnavailableError('BROKER_UNAVAILABLE', text, err, { requestId: message.requestId, mayHaveBeenRecorded: err.maybeInLog });
      }
      throw err;
    }
    this.deps.accepts.add(message.campaignId);
    return ack;
  }
}
