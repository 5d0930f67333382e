import { deadLetterOf, type DeadLetterRow } from '../core/dead-letter.js';
import { decideBatch, type ParticipationRequest } from '../core/decide.js';
import type { AnswerRow, DecisionRow, DecisionStore, TopicPosition } from '../db/decision-store.js';
import { decodeParticipation, PoisonMessageError } from '../kafka/participation-message.js';

export interface LogRecord {
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
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
  /** When each request decided by the batch was accepted. */
  readonly acceptedAt: readonly Date[];
  readonly committedAt: Date;
}

/**
 * Turns one contiguous run of log records into one database transaction: decisions, counters,
 * dead letters and the next offset commit together or not at all. Nothing slow happens inside it:
 * the dead letters are copied to their topic after the commit (see DeadLetterRelay), so neither
 * broker latency nor a refused copy holds the campaign rows locked.
 */
export interface BatchProcessorDeps {
  store: DecisionStore;
  clock: () => Date;
}

export class BatchProcessor {
  constructor(private readonly deps: BatchProcessorDeps) {}

  async process(at: TopicPosition, expected: number, records: readonly LogRecord[]): Promise<BatchResult> {
    const last = records.at(-1);
    if (!last) throw new Error('empty batch');
    const position = (record: LogRecord) => ({ topic: at.topic, partition: at.partition, offset: record.offset, key: record.key, value: record.value });
    const requests: LoggedRequest[] = [];
    const poison: DeadLetterRow[] = [];
    for (const record of records) {
      try {
        const m = decodeParticipation(record.value);
        requests.push({ requestId: m.requestId, campaignId: m.campaignId, userId: m.userId, answered: m.answered, record, acceptedAt: new Date(m.acceptedAt) });
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        poison.push(deadLetterOf(position(record), 'POISON', err.message, null));
      }
    }

    const usersByCampaign = new Map<number, Set<number>>();
    for (const r of requests) {
      let users = usersByCampaign.get(r.campaignId);
      if (!users) usersByCampaign.set(r.campaignId, (users = new Set()));
      users.add(r.userId);
    }

    return this.deps.store.transaction(async (tx) => {
      await tx.fence(at, expected);
      const stock = await tx.lockCampaigns([...usersByCampaign.keys()]);
      const known = new Map([...usersByCampaign].filter(([id]) => stock.has(id)));
      const winners = await tx.findWinners(known);
      const decidedRequestIds = await tx.findDecidedRequestIds(requests.map((r) => r.requestId));
      const { outcomes, deltas } = decideBatch(requests, { stock, winners, decidedRequestIds });

      const now = this.deps.clock();
      const rows: DecisionRow[] = [];
      const answers: AnswerRow[] = [];
      const resolved = new Map<number, number>();
      const deadLettered = [...poison];
      const verdicts = { SUCCESS: 0, SOLD_OUT: 0, DUPLICATE: 0 };
      let skipped = 0;
      for (const o of outcomes) {
        const r = o.request;
        const subject = { requestId: r.requestId, campaignId: r.campaignId, userId: r.userId };
        if (o.kind === 'unknown-campaign') {
          deadLettered.push(deadLetterOf(position(r.record), 'UNKNOWN_CAMPAIGN', `unknown campaign ${r.campaignId}`, subject));
          continue;
        }
        resolved.set(r.campaignId, (resolved.get(r.campaignId) ?? 0) + 1);
        if (o.kind === 'already-decided') {
          skipped += 1;
          continue;
        }
        if (o.kind === 'request-id-reused') {
          const reason = `requestId ${r.requestId} was already used by user ${o.owner.userId} in campaign ${o.owner.campaignId}`;
          deadLettered.push(deadLetterOf(position(r.record), 'REQUEST_ID_REUSED', reason, subject));
          continue;
        }
        if (o.kind === 'answered') {
          answers.push({ ...subject, status: o.verdict, answeredAt: r.acceptedAt });
          continue;
        }
        verdicts[o.verdict] += 1;
        rows.push({ requestId: r.requestId, campaignId: r.campaignId, userId: r.userId, status: o.verdict, partition: at.partition, offset: r.record.offset, acceptedAt: r.acceptedAt });
      }

      deadLettered.sort((a, b) => a.offset - b.offset);
      await tx.insertDecisions(rows, now);
      await tx.insertAnswers(answers);
      await tx.applyDeltas(deltas.values(), resolved);
      await tx.insertDeadLetters(deadLettered, now, at.topicId);
      await tx.setOffset(at, last.offset + 1, now, requests.at(-1)?.acceptedAt ?? null);
      return { next: last.offset + 1, skipped, deadLettered, verdicts, acceptedAt: rows.map((r) => r.acceptedAt), committedAt: now };
    });
  }
}
