import { QueryTypes, type Sequelize } from 'sequelize';
import type { DeadLetterReason, DeadLetterRow } from '../core/dead-letter.js';
import { sqlDateTime } from './datetime.js';

export interface DeadLetter extends DeadLetterRow {
  id: number;
  createdAt: Date;
  replayedAt: Date | null;
  /** When the copy reached the dead-letter topic; null while the relay has not managed yet. */
  publishedAt: Date | null;
  publishError: string | null;
}

interface Row {
  id: number;
  topic: string;
  log_partition: number;
  log_offset: number | string;
  reason_code: DeadLetterReason;
  reason: string;
  request_id: string | null;
  campaign_id: number | string | null;
  user_id: number | string | null;
  message_key: Buffer | null;
  payload: Buffer | null;
  payload_bytes: number;
  created_at: Date;
  published_at: Date | null;
  publish_error: string | null;
  replayed_at: Date | null;
}

const toDeadLetter = (r: Row): DeadLetter => ({
  id: r.id,
  topic: r.topic,
  partition: r.log_partition,
  offset: Number(r.log_offset),
  reasonCode: r.reason_code,
  reason: r.reason,
  subject: r.request_id === null ? null : { requestId: r.request_id, campaignId: Number(r.campaign_id), userId: Number(r.user_id) },
  key: r.message_key,
  payload: r.payload,
  payloadBytes: r.payload_bytes,
  createdAt: r.created_at,
  publishedAt: r.published_at,
  publishError: r.publish_error,
  replayedAt: r.replayed_at,
});

export class DeadLetterStore {
  constructor(private readonly sequelize: Sequelize) {}

  private select(sql: string, replacements: unknown[]): Promise<Row[]> {
    return this.sequelize.query<Row>(sql, { replacements, type: QueryTypes.SELECT });
  }

  async list(limit: number, offset: number): Promise<{ items: DeadLetter[]; total: number }> {
    const rows = await this.select('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ? OFFSET ?', [limit, offset]);
    const [count] = await this.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters', { type: QueryTypes.SELECT });
    return { items: rows.map(toDeadLetter), total: count?.n ?? 0 };
  }

  async find(id: number): Promise<DeadLetter | null> {
    const rows = await this.select('SELECT * FROM dead_letters WHERE id = ?', [id]);
    return rows[0] ? toDeadLetter(rows[0]) : null;
  }

  /** Accepted requests of this user in this campaign that were refused instead of decided. */
  async refusalsOf(campaignId: number, userId: number): Promise<DeadLetter[]> {
    return (await this.select('SELECT * FROM dead_letters WHERE campaign_id = ? AND user_id = ? ORDER BY id', [campaignId, userId])).map(toDeadLetter);
  }

  async markReplayed(id: number, at: Date): Promise<void> {
    await this.sequelize.query('UPDATE dead_letters SET replayed_at = ? WHERE id = ?', { replacements: [sqlDateTime(at), id] });
  }

  /** The outbox: letters committed with their batch and not yet on the dead-letter topic, oldest first. */
  async unpublished(limit: number): Promise<DeadLetter[]> {
    return (await this.select('SELECT * FROM dead_letters WHERE published_at IS NULL ORDER BY id LIMIT ?', [limit])).map(toDeadLetter);
  }

  async countUnpublished(): Promise<number> {
    const [row] = await this.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters WHERE published_at IS NULL', { type: QueryTypes.SELECT });
    return row?.n ?? 0;
  }

  /** `error` records a copy the broker refused for good: it stays in this table, off the outbox. */
  async markPublished(ids: readonly number[], at: Date, error: string | null = null): Promise<void> {
    if (ids.length === 0) return;
    await this.sequelize.query('UPDATE dead_letters SET published_at = ?, publish_error = ? WHERE id IN (?)', {
      replacements: [sqlDateTime(at), error?.slice(0, 500) ?? null, [...ids]],
    });
  }
}
