import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection, type Connection } from 'mysql2/promise';
import { QueryTypes } from 'sequelize';
import { sqlDateTime } from '../../services/db/datetime.js';
import { DecisionTransaction, type DecisionRow } from '../../services/db/decision-store.js';
import { readMaxAllowedPacket, statementBudget } from '../../services/db/statement-size.js';
import { StatsStore } from '../../services/db/stats-store.js';
import { dayWindow } from '../../services/platform/day-window.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const DAY = '2026-01-10';
const ROWS = 2_000;

/** The 02:00 aggregation must never hold the decider's inserts: it reads, it does not lock what it reads. */
describe('the aggregation does not lock the history it reads', () => {
  let db: TestDatabase;
  let decider: Connection;
  let campaignId = 0;

  before(async () => {
    db = await createTestDatabase();
    // a connection of its own, like the consumer's: the session setting below stays on it
    decider = await createConnection({ host: db.config.DB_HOST, port: db.config.DB_PORT, user: db.config.DB_USER, password: db.config.DB_PASSWORD, database: db.config.DB_NAME });
    const [row] = await db.sequelize.query<{ id: number }>("INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('locks', 10, 10) RETURNING id", {
      type: QueryTypes.SELECT,
    });
    campaignId = Number(row?.id);
    const { start } = dayWindow(DAY, 'UTC');
    // one SOLD_OUT row a second through the day, the only rows the campaign has
    await db.sequelize.query(
      `INSERT INTO participations (request_id, campaign_id, user_id, status, source, log_partition, log_offset, accepted_at, decided_at)
       SELECT CONCAT('seed-', seq), ?, seq, 'SOLD_OUT', 'KAFKA', 0, seq, TIMESTAMPADD(SECOND, seq * 40, ?), TIMESTAMPADD(SECOND, seq * 40, ?)
       FROM seq_0_to_${ROWS - 1}`,
      { replacements: [campaignId, sqlDateTime(start), sqlDateTime(start)] },
    );
  });
  after(async () => {
    await decider.end();
    await db.drop();
  });

  it("the decider's insert into the day being aggregated, and after it, commits at once while the aggregation is open", async () => {
    const window = dayWindow(DAY, 'UTC');
    let held!: () => void;
    const reached = new Promise<void>((resolve) => (held = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // the aggregation's transaction stays open after its INSERT … SELECT, where its locks (if any) are held
    const aggregation = new StatsStore(db.sequelize).aggregateCampaignDay(campaignId, window, 'UTC', 1, new Date(), async () => {
      held();
      await released;
    });
    await reached;

    const budget = statementBudget(await readMaxAllowedPacket(decider));
    // a lock wait of more than a second is what a stalled decider looks like here
    await decider.query('SET SESSION innodb_lock_wait_timeout = 1');
    const decide = async (rows: DecisionRow[]) => {
      await decider.query('START TRANSACTION');
      const started = performance.now();
      await new DecisionTransaction(decider, budget).insertDecisions(rows, new Date());
      const ms = performance.now() - started;
      await decider.query('COMMIT');
      return ms;
    };
    const row = (n: number, acceptedAt: Date): DecisionRow => ({ requestId: `late-${n}`, campaignId, userId: 1_000_000 + n, status: 'SOLD_OUT', partition: 0, offset: ROWS + n, acceptedAt });
    try {
      // an entry of the day decided late (a backlog), and one of the next day
      const lateMs = await decide([row(1, new Date(window.end.getTime() - 1))]);
      const nextDayMs = await decide([row(2, new Date(window.end.getTime() + 3_600_000))]);
      assert.ok(lateMs < 900 && nextDayMs < 900, `inserts took ${Math.round(lateMs)} ms and ${Math.round(nextDayMs)} ms`);
    } finally {
      release();
    }
    assert.equal(await aggregation, ROWS, 'the aggregation counts the day as its statement saw it');
    const [stored] = await db.sequelize.query<{ total: number }>('SELECT total_participations AS total FROM campaign_stats WHERE campaign_id = ? AND stat_date = ?', {
      replacements: [campaignId, DAY],
      type: QueryTypes.SELECT,
    });
    assert.equal(Number(stored?.total), ROWS);
  });
});
