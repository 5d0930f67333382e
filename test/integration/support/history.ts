import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { QueryTypes, type Sequelize } from 'sequelize';
import { decodeParticipation, PoisonMessageError } from '../../../services/kafka/participation-message.js';
import type { AnswerRow, CampaignRow, DeadLetterCopy, DeadLetterRow, DecisionRow, History, LogEntry } from './history-check.js';
import { waitFor } from './process.js';

/** Every record of a topic from its start to the end it had when called; none if it does not exist. */
export async function readTopic(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, number>;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    ends = new Map((await admin.fetchTopicOffsets(topic)).filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `history-${randomUUID()}` });
  const messages: KafkaMessage[] = [];
  const reached = new Map<number, number>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) if (Number(m.offset) < (ends.get(batch.partition) ?? 0)) messages.push(m);
        reached.set(batch.partition, Number(batch.lastOffset()) + 1);
        await Promise.resolve();
      },
    });
    await waitFor(`${topic} read to its end`, () => Promise.resolve([...ends].every(([p, end]) => (reached.get(p) ?? 0) >= end)), 120_000);
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** The participation log as entries; anything that is not a participation is poison. */
export async function readLog(kafka: Kafka, topic: string): Promise<LogEntry[]> {
  return (await readTopic(kafka, topic)).map((m): LogEntry => {
    const offset = Number(m.offset);
    try {
      const p = decodeParticipation(m.value);
      return p.answered === undefined
        ? { offset, kind: 'participation', requestId: p.requestId, campaignId: p.campaignId, userId: p.userId }
        : { offset, kind: 'participation', requestId: p.requestId, campaignId: p.campaignId, userId: p.userId, answered: p.answered };
    } catch (err) {
      if (err instanceof PoisonMessageError) return { offset, kind: 'poison' };
      throw err;
    }
  });
}

/** The copies on `<topic>-dlq`, by the original offset their headers name. */
export async function readDeadLetterCopies(kafka: Kafka, topic: string): Promise<DeadLetterCopy[]> {
  return (await readTopic(kafka, `${topic}-dlq`)).map((m) => ({
    offset: Number(m.headers?.['x-original-offset']?.toString()),
    reasonCode: String(m.headers?.['x-dlq-reason-code']?.toString()),
  }));
}

/** What the database holds, in the checker's terms; `topic` names the consumer's offset and dead letters. */
export async function readDatabase(sequelize: Sequelize, topic: string): Promise<Pick<History, 'nextOffset' | 'campaigns' | 'decisions' | 'answers' | 'deadLetters'>> {
  const select = <T extends object>(sql: string, replacements: unknown[] = []) => sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  const [offset] = await select<{ next_offset: number }>('SELECT next_offset FROM consumer_offsets WHERE topic = ?', [topic]);
  const campaigns = await select<CampaignRow>(
    `SELECT id, total_stock AS totalStock, current_stock AS currentStock, success_count AS successCount, sold_out_count AS soldOutCount,
            duplicate_count AS duplicateCount, log_resolved_count AS logResolvedCount
     FROM campaigns`,
  );
  const decisions = await select<DecisionRow>('SELECT request_id AS requestId, campaign_id AS campaignId, user_id AS userId, status, source, log_offset AS `offset` FROM participations');
  const answers = await select<AnswerRow>('SELECT request_id AS requestId, campaign_id AS campaignId, user_id AS userId, status FROM short_circuit_answers');
  const letters = await select<{ log_offset: number; reason_code: string; request_id: string | null; published_at: Date | null }>(
    'SELECT log_offset, reason_code, request_id, published_at FROM dead_letters WHERE topic = ?',
    [topic],
  );
  return {
    nextOffset: offset?.next_offset ?? 0,
    campaigns,
    decisions,
    answers,
    deadLetters: letters.map((l): DeadLetterRow => ({ offset: l.log_offset, reasonCode: l.reason_code, requestId: l.request_id, published: l.published_at !== null })),
  };
}
