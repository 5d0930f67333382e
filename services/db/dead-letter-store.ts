import { QueryTypes, type Sequelize } from 'sequelize';
import { sqlDateTime } from './datetime.js';
import type { DeadLetterRow } from './decision-store.js';

export interface DeadLetter extends DeadLetterRow {
  id: number;
  createdAt: Date;
  replayedAt: Date | null;
}

interface Row {
  id: number;
  topic: string;
  log_partition: number;
  log_offset: number | string;
  reason: string;
  message_key: Buffer | null;
  payload: Buffer | null;
  created_at: Date;
  replayed_at: Date | null;
}

const toDeadLetter = (r: Row): DeadLetter => ({
  id: r.id,
  topic: r.topic,
  partition: r.log_partition,
  offset: Number(r.log_offset),
  reason: r.reason,
  key: r.message_key,
  payload: r.payload,
  createdAt: r.created_at,
  replayedAt: r.replayed_at,
});

export class DeadLetterStore {
  constructor(private readonly sequelize: Sequelize) {}

  async list(limit: number, offset: number): Promise<{ items: DeadLetter[]; total: number }> {
    const rows = await this.sequelize.query<Row>('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ? OFFSET ?', {
      replacements: [limit, offset],
      type: QueryTypes.SELECT,
    });
    const [count] = await this.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters', { type: QueryTypes.SELECT });
    return { items: rows.map(toDeadLetter), total: count?.n ?? 0 };
  }

  async find(id: number): Promise<DeadLetter | null> {
    const rows = await this.sequelize.query<Row>('SELECT * FROM dead_letters WHERE id = ?', { replacements: [id], type: QueryTypes.SELECT });
    return rows[0] ? toDeadLetter(rows[0]) : null;
  }

  async markReplayed(id: number, at: Date): Promise<void> {
    await this.sequelize.query('UPDATE dead_letters SET replayed_at = ? WHERE id = ?', { replacements: [sqlDateTime(at), id] });
  }
}
