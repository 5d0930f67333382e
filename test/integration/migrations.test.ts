import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { QueryTypes, type Sequelize } from 'sequelize';
import { violatedUniqueKey } from '../../services/db/errors.js';
import { createMigrator, migrateUp } from '../../services/db/migrator.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const ALL_TABLES = [
  'batch_execution_steps',
  'batch_executions',
  'campaign_accepts',
  'campaign_stats',
  'campaigns',
  'consumer_offsets',
  'dead_letters',
  'participations',
  'schema_migrations',
  'short_circuit_answers',
];

/** Every migration in the folder, in the order its name gives: what the migrator must apply. */
const MIGRATIONS = readdirSync(new URL('../../services/db/migrations/', import.meta.url))
  .filter((f) => /^\d{4}-.*\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const tables = async (sequelize: Sequelize) =>
  (
    await sequelize.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1', {
      type: QueryTypes.SELECT,
    })
  )
    .map((r) => r.t)
    .sort();

/** Each case gets a database of its own, so that none depends on what another left behind. */
async function withDatabase(migrate: boolean, work: (db: TestDatabase) => Promise<void>): Promise<void> {
  const db = await createTestDatabase({ migrate });
  try {
    await work(db);
  } finally {
    await db.drop();
  }
}

describe('migrations', () => {
  it('apply every migration, in order, to an empty database', () =>
    withDatabase(false, async (db) => {
      assert.ok(MIGRATIONS.length > 0);
      assert.deepEqual(await tables(db.sequelize), []);
      assert.deepEqual(await migrateUp(db.sequelize), MIGRATIONS);
      assert.deepEqual(await tables(db.sequelize), ALL_TABLES);
    }));

  it('are re-runnable: a second run applies nothing and changes nothing', () =>
    withDatabase(true, async (db) => {
      const before = await tables(db.sequelize);
      assert.deepEqual(before, ALL_TABLES);
      assert.deepEqual(await migrateUp(db.sequelize), []);
      assert.deepEqual(await tables(db.sequelize), before);
    }));

  it('roll back completely and apply again', () =>
    withDatabase(true, async (db) => {
      const reverted = await createMigrator(db.sequelize).down({ to: 0 });
      assert.deepEqual(
        reverted.map((m) => m.name),
        [...MIGRATIONS].reverse(),
      );
      assert.deepEqual(await tables(db.sequelize), ['schema_migrations']);
      assert.deepEqual(await migrateUp(db.sequelize), MIGRATIONS);
      assert.deepEqual(await tables(db.sequelize), ALL_TABLES);
    }));

  it('let the database refuse a second win for the same user', () =>
    withDatabase(true, async (db) => {
      const [campaignId] = await db.sequelize.query("INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('m', 5, 5)", { type: QueryTypes.INSERT });
      const insert = (requestId: string, status: string) =>
        db.sequelize.query(
          `INSERT INTO participations (request_id, campaign_id, user_id, status, source, accepted_at, decided_at)
           VALUES (?, ?, 7, ?, 'SYNC', NOW(3), NOW(3))`,
          { replacements: [requestId, campaignId, status] },
        );
      await insert('a', 'SUCCESS');
      await insert('b', 'SOLD_OUT');
      await insert('c', 'DUPLICATE');
      await assert.rejects(insert('d', 'SUCCESS'), (err) => violatedUniqueKey(err) === 'uq_participation_winner');
      await assert.rejects(insert('a', 'DUPLICATE'), (err) => violatedUniqueKey(err) === 'uq_participation_request');
    }));
});
