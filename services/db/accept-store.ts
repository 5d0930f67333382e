import { QueryTypes, type Sequelize } from 'sequelize';

/** Requests accepted into the log, per campaign; `pending` = accepted - resolved by the consumer. */
export class AcceptStore {
  constructor(private readonly sequelize: Sequelize) {}

  async add(counts: ReadonlyMap<number, number>): Promise<void> {
    if (counts.size === 0) return;
    const rows = [...counts];
    await this.sequelize.query(
      `INSERT INTO campaign_accepts (campaign_id, accepted) VALUES ${rows.map(() => '(?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE accepted = accepted + VALUES(accepted)`,
      { replacements: rows.flat() },
    );
  }

  async pending(campaignId: number): Promise<number> {
    const rows = await this.sequelize.query<{ pending: number | string | null }>(
      `SELECT CAST(a.accepted AS SIGNED) - CAST(c.log_resolved_count AS SIGNED) AS pending
       FROM campaigns c JOIN campaign_accepts a ON a.campaign_id = c.id WHERE c.id = ?`,
      { replacements: [campaignId], type: QueryTypes.SELECT },
    );
    return Math.max(0, Number(rows[0]?.pending ?? 0));
  }
}
