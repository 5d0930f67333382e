import { decideBatch, type ParticipationRequest } from '../core/decide.js';
import type { DeadLetterRow, DecisionRow, DecisionStore, LogPosition } from '../db/decision-store.js';
import { decodeParticipation, PoisonMessageError } from '../kafka/participation-message.js';

export interface LogRecord {
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export interface DeadLetterSink {
  publish(letters: readonly DeadLetterRow[], at: Date): Promise<void>;
}

interface LoggedRequest extends ParticipationRequest {
  readonly record: LogRecord;
  readonly acceptedAt: Date;
}

export interface BatchResult {
  /** The offset to read next. */
  readonly next: number;
  readonly skipped: number;
  readonly deadLettered: readonly DeadLetterRow[];
  readonly verdicts: { SUCCESS: number; SOLD_OUT: number; DUPLICATE: number };
}

/**
 * Turns one contiguous run of log records into one database transaction: decisions, counters,
 * dead letters and the next offset commit together or not at all.
 */
export class BatchProcessor {
  constructor(
    private readonly store: DecisionStore,
    private readonly deadLetters: DeadLetterSink,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async process(at: LogPosition, expected: number, records: readonly LogRecord[]): Promise<BatchResult> {
    const last = records.at(-1);
    if (!last) throw new Error('empty batch');
    const deadLetter = (record: LogRecord, reason: string): DeadLetterRow => ({
      topic: at.topic,
      partition: at.partition,
      offset: record.offset,
      reason,
      key: record.key,
      payload: record.value,
    });
    const requests: LoggedRequest[] = [];
    const poison: DeadLetterRow[] = [];
    for (const record of records) {
      try {
        const m = decodeParticipation(record.value);
        requests.push({ requestId: m.requestId, campaignId: m.campaignId, userId: m.userId, record, acceptedAt: new Date(m.acceptedAt) });
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        poison.push(deadLetter(record, err.message));
      }
    }

    const usersByCampaign = new Map<number, Set<number>>();
    for (const r of requests) {
      let users = usersByCampaign.get(r.campaignId);
      if (!users) usersByCampaign.set(r.campaignId, (users = new Set()));
      users.add(r.userId);
    }

    return this.store.transaction(async (tx) => {
      await tx.fence(at, expected);
      const stock = await tx.lockCampaigns([...usersByCampaign.keys()]);
      const known = new Map([...usersByCampaign].filter(([id]) => stock.has(id)));
      const winners = await tx.findWinners(known);
      const decidedRequestIds = await tx.findDecidedRequestIds(requests.map((r) => r.requestId));
      const { outcomes, deltas } = decideBatch(requests, { stock, winners, decidedRequestIds });

      const now = this.clock();
      const rows: DecisionRow[] = [];
      const resolved = new Map<number, number>();
      const deadLettered = [...poison];
      const verdicts = { SUCCESS: 0, SOLD_OUT: 0, DUPLICATE: 0 };
      let skipped = 0;
      for (const o of outcomes) {
        const r = o.request;
        if (o.kind === 'unknown-campaign') {
          deadLettered.push(deadLetter(r.record, `unknown campaign ${r.campaignId}`));
          continue;
        }
        resolved.set(r.campaignId, (resolved.get(r.campaignId) ?? 0) + 1);
        if (o.kind === 'already-decided') {
          skipped += 1;
          continue;
        }
        verdicts[o.verdict] += 1;
        rows.push({ requestId: r.requestId, campaignId: r.campaignId, userId: r.userId, status: o.verdict, partition: at.partition, offset: r.record.offset, acceptedAt: r.acceptedAt });
      }

      // The dead-letter copy must be durable before the offset moves past it; a crash in between
      // publishes it again, which the dead_letters table's unique position absorbs.
      deadLettered.sort((a, b) => a.offset - b.offset);
      await this.deadLetters.publish(deadLettered, now);
      await tx.insertDecisions(rows, now);
      await tx.applyDeltas(deltas.values(), resolved);
      await tx.insertDeadLetters(deadLettered, now);
      await tx.setOffset(at, last.offset + 1);
      return { next: last.offset + 1, skipped, deadLettered, verdicts };
    });
  }
}
