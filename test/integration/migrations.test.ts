import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { violatedUniqueKey } from '../../services/db/errors.js';
import { createMigrator, migrateUp } from '../../services/db/migrator.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

describe('migrations', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  after(() => db.drop());

  const tables = async () =>
    (await db.sequelize.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1', { type: QueryTypes.SELECT })).map((r) => r.t).sort();

  it('apply to an empty database', async () => {
    assert.deepEqual(await tables(), []);
    const applied = await migrateUp(db.sequelize);
    assert.ok(applied.length >= 1);
    assert.deepEqual(await tables(), ['batch_execution_steps', 'batch_executions', 'campaign_accepts', 'campaign_stats', 'campaigns', 'consumer_offsets', 'dead_letters', 'participations', 'schema_migrations', 'short_circuit_answers']);
  });

  it('are re-runnable: a second run applies nothing and changes nothing', async () => {
    const before = await tables();
    assert.deepEqual(await migrateUp(db.sequelize), []);
    assert.deepEqual(await tables(), before);
  });

  it('roll back completely and apply again', async () => {
    await createMigrator(db.sequelize).down({ to: 0 });
    assert.deepEqual(await tables(), ['schema_migrations']);
    assert.ok((await migrateUp(db.sequelize)).length >= 1);
    assert.ok((await tables()).includes('participations'));
  });

  it('let the database refuse a second win for the same user', async () => {
    await db.sequelize.query("INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('m', 5, 5)");
    const insert = (requestId: string, status: string) =>
      db.sequelize.query(
        `INSERT INTO participations (request_id, campaign_id, user_id, status, source, accepted_at, decided_at)
         VALUES (?, 1, 7, ?, 'SYNC', NOW(3), NOW(3))`,
        { replacements: [requestId, status] },
      );
    await insert('a', 'SUCCESS');
    await insert('b', 'SOLD_OUT');
    await insert('c', 'DUPLICATE');
    await assert.rejects(insert('d', 'SUCCESS'), (err) => violatedUniqueKey(err) === 'uq_participation_winner');
    await assert.rejects(insert('a', 'DUPLICATE'), (err) => violatedUniqueKey(err) === 'uq_participation_request');
  });
});
