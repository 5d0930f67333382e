import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { QueryTypes, type Sequelize } from 'sequelize';
import { BatchProcessor, type LogRecord } from '../../services/consumer/batch-processor.js';
import { DecisionStore } from '../../services/db/decision-store.js';
import { violatedUniqueKey } from '../../services/db/errors.js';
import { createMigrator, migrateAll, migrateUp } from '../../services/db/migrator.js';
import { ParticipationStore } from '../../services/db/participation-store.js';
import { encodeParticipation } from '../../services/kafka/participation-message.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const ALL_TABLES = [
  'batch_execution_steps',
  'batch_executions',
  'campaign_accepts',
  'campaign_stats',
  'campaign_winners',
  'campaigns',
  'consumer_offsets',
  'dead_letters',
  'participations',
  'schema_migration_runs',
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
      assert.deepEqual(await tables(db.sequelize), ['schema_migration_runs', 'schema_migrations']);
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
      const win = (requestId: string) =>
        db.sequelize.query('INSERT INTO campaign_winners (campaign_id, user_id, request_id) VALUES (?, 7, ?)', { replacements: [campaignId, requestId] });
      await insert('a', 'SUCCESS');
      await win('a');
      await insert('b', 'SOLD_OUT');
      await insert('c', 'DUPLICATE');
      await assert.rejects(win('d'), (err) => violatedUniqueKey(err) === 'PRIMARY');
      await assert.rejects(insert('a', 'DUPLICATE'), (err) => violatedUniqueKey(err) === 'uq_participation_request');
    }));

  it('hold the contract migration back on an existing database until a later version runs', () =>
    withDatabase(false, async (db) => {
      await createMigrator(db.sequelize, { version: '0.9.0' }).up({ to: '0007-topic-identity' });
      const first = await migrateAll(db.sequelize, { version: '1.0.0' });
      assert.deepEqual(first.applied, ['0008-winners-expand']);
      assert.deepEqual(
        first.held.map((h) => h.name),
        ['0009-winners-contract'],
      );
      // a retried hook, a second upgrade of the same release
      const again = await migrateAll(db.sequelize, { version: '1.0.0' });
      assert.deepEqual(again.applied, []);
      assert.deepEqual(
        again.held.map((h) => h.name),
        ['0009-winners-contract'],
      );
      assert.deepEqual((await migrateAll(db.sequelize, { version: '1.1.0' })).applied, ['0009-winners-contract']);
      assert.deepEqual(await migrateAll(db.sequelize, { version: '1.2.0' }), { applied: [], held: [] });
    }));

  it('move the one-win promise to campaign_winners, expand then contract, without a win missed, and back', () =>
    withDatabase(false, async (db) => {
      const sql = db.sequelize;
      const select = <R extends object>(query: string, replacements: unknown[] = []) => sql.query<R>(query, { replacements, type: QueryTypes.SELECT });
      // --- a database at 0007 with history written by the old schema's code
      await createMigrator(sql, { version: '0.9.0' }).up({ to: '0007-topic-identity' });
      const oldSchema = await schemaOf(sql);
      const campaign = async (stock: number, left: number, counts: [number, number, number]) => {
        const [id] = await sql.query(
          'INSERT INTO campaigns (name, total_stock, current_stock, success_count, sold_out_count, duplicate_count) VALUES (?, ?, ?, ?, ?, ?)',
          { replacements: [`m${stock}`, stock, left, ...counts], type: QueryTypes.INSERT },
        );
        return id;
      };
      const a = await campaign(3, 0, [3, 1, 1]);
      const b = await campaign(10, 9, [1, 0, 1]);
      const c = await campaign(5, 5, [0, 0, 0]);
      let offset = 0;
      /** A decision as the code before 0008 recorded it: the history row and the counters, nothing else. */
      const oldDecision = async (campaignId: number, userId: number, requestId: string, status: string) => {
        await sql.query(
          `INSERT INTO participations (request_id, campaign_id, user_id, status, source, log_partition, log_offset, accepted_at, decided_at)
           VALUES (?, ?, ?, ?, 'KAFKA', 0, ?, NOW(3), NOW(3))`,
          { replacements: [requestId, campaignId, userId, status, offset++] },
        );
      };
      const oldWin = async (campaignId: number, userId: number, requestId: string) => {
        await oldDecision(campaignId, userId, requestId, 'SUCCESS');
        await sql.query('UPDATE campaigns SET current_stock = current_stock - 1, success_count = success_count + 1 WHERE id = ?', { replacements: [campaignId] });
      };
      await oldDecision(a, 1, 'a1', 'SUCCESS');
      await oldDecision(a, 2, 'a2', 'SUCCESS');
      await oldDecision(a, 1, 'a3', 'DUPLICATE');
      await oldDecision(a, 3, 'a4', 'SUCCESS');
      await oldDecision(a, 4, 'a5', 'SOLD_OUT');
      await oldDecision(b, 1, 'b1', 'SUCCESS');
      await oldDecision(b, 1, 'b2', 'DUPLICATE');
      await sql.query(
        "INSERT INTO short_circuit_answers (request_id, campaign_id, user_id, status, answered_at) VALUES ('a6', ?, 5, 'SOLD_OUT', NOW(3)), ('a7', ?, 1, 'DUPLICATE', NOW(3))",
        { replacements: [a, a] },
      );
      const answersAt0007 = await answersOf(sql);

      // --- expand: 0008 alone, on an upgrade while the old code still runs
      assert.deepEqual(await migrateUp(sql, { version: '1.0.0' }), ['0008-winners-expand']);
      const winners = () => select<{ campaign_id: number; user_id: number; request_id: string }>('SELECT campaign_id, user_id, request_id FROM campaign_winners ORDER BY campaign_id, user_id');
      assert.deepEqual(await winners(), [
        { campaign_id: a, user_id: 1, request_id: 'a1' },
        { campaign_id: a, user_id: 2, request_id: 'a2' },
        { campaign_id: a, user_id: 3, request_id: 'a4' },
        { campaign_id: b, user_id: 1, request_id: 'b1' },
      ]);
      const expanded = await schemaOf(sql);
      assert.ok(expanded.indexes.includes('uq_participation_winner unique (campaign_id, winner_user_id)'), 'the old winner key stays');
      assert.ok(expanded.columns.some((col) => col.startsWith('winner_user_id ')));
      assert.ok(!expanded.indexes.some((i) => i.startsWith('idx_participation_campaign_offset ')));
      assert.deepEqual(expanded.foreignKeys, []);
      assert.deepEqual(await answersOf(sql), answersAt0007);

      // old code still running after the copy records wins in participations only
      await oldWin(b, 2, 'b3');
      await oldWin(c, 7, 'c1');
      assert.equal((await winners()).length, 4);

      // the new deciders see them: no second win for users 2 (b) and 7 (c)
      await sql.query("INSERT INTO consumer_offsets (consumer_group, topic, log_partition, next_offset, topic_id, updated_at) VALUES ('g', 't', 0, 0, 'tid', NOW(3))");
      const at = { group: 'g', topic: 't', partition: 0, topicId: 'tid' };
      let next = 0;
      const decide = async (entries: [number, number, string][]) => {
        const store = new DecisionStore(sql);
        try {
          const records: LogRecord[] = entries.map(([campaignId, userId, requestId], i) => ({
            offset: next + i,
            key: null,
            value: encodeParticipation({ v: 1, requestId, campaignId, userId, acceptedAt: new Date().toISOString() }),
          }));
          const result = await new BatchProcessor({ store, clock: () => new Date() }).process(at, next, records);
          next = result.next;
          return result.verdicts;
        } finally {
          await store.close();
        }
      };
      assert.deepEqual(
        await decide([
          [b, 2, 'k1'],
          [c, 7, 'k2'],
          [c, 8, 'k3'],
          [c, 8, 'k4'],
        ]),
        { SUCCESS: 1, SOLD_OUT: 0, DUPLICATE: 3 },
      );
      const sync = (campaignId: number, userId: number, requestId: string) =>
        new ParticipationStore(sql).decideSync({ campaignId, userId, requestId, acceptedAt: new Date(), clock: () => new Date() });
      const statusOf = async (p: Promise<{ participation: { status: string } }>) => (await p).participation.status;
      assert.equal(await statusOf(sync(b, 2, 's1')), 'DUPLICATE');
      assert.equal(await statusOf(sync(c, 7, 's2')), 'DUPLICATE');
      assert.equal(await statusOf(sync(c, 9, 's3')), 'SUCCESS');
      assert.deepEqual([...(await new ParticipationStore(sql).winnersOf(c))].sort(), [
        [7, 'c1'],
        [8, 'k3'],
        [9, 's3'],
      ]);
      // and old code still sees the new code's wins: its key refuses a second win of user 8
      await assert.rejects(oldDecision(c, 8, 'c2', 'SUCCESS'), (err) => violatedUniqueKey(err) === 'uq_participation_winner');

      // --- contract: not with the release that expanded, with the next one
      assert.deepEqual(await migrateUp(sql, { version: '1.0.0' }), []);
      const answersExpanded = await answersOf(sql);
      assert.deepEqual(await migrateUp(sql, { version: '1.1.0' }), ['0009-winners-contract']);
      assert.deepEqual(await answersOf(sql), answersExpanded);
      const wins = await select<{ campaign_id: number; user_id: number; request_id: string }>(
        "SELECT campaign_id, user_id, request_id FROM participations WHERE status = 'SUCCESS' ORDER BY campaign_id, user_id",
      );
      assert.equal(wins.length, 8);
      assert.deepEqual(await winners(), wins);
      const contracted = await schemaOf(sql);
      assert.ok(!contracted.indexes.some((i) => i.startsWith('uq_participation_winner ')));
      assert.ok(!contracted.columns.some((col) => col.startsWith('winner_user_id ')));
      // deciders started now read campaign_winners alone, and still refuse every second win
      assert.deepEqual(
        await decide([
          [b, 2, 'k5'],
          [c, 7, 'k6'],
          [c, 10, 'k7'],
        ]),
        { SUCCESS: 1, SOLD_OUT: 0, DUPLICATE: 2 },
      );
      assert.equal(await statusOf(sync(b, 3, 's4')), 'SUCCESS');
      assert.equal(await statusOf(sync(b, 3, 's5')), 'DUPLICATE');
      assert.equal(await statusOf(sync(a, 1, 's6')), 'DUPLICATE');
      assert.equal(await statusOf(sync(a, 6, 's7')), 'SOLD_OUT');
      assert.deepEqual(
        (await select<{ n: number }>("SELECT COUNT(*) AS n FROM participations WHERE status = 'SUCCESS'"))[0]?.n,
        (await winners()).length,
      );
      const answersContracted = await answersOf(sql);

      // --- down 0009, down 0008: the old schema, every answer as it was
      await createMigrator(sql).down();
      assert.deepEqual((await schemaOf(sql)).columns, expanded.columns);
      assert.deepEqual((await schemaOf(sql)).indexes, expanded.indexes);
      await createMigrator(sql).down();
      assert.deepEqual(await schemaOf(sql), oldSchema);
      assert.deepEqual(await tables(sql), ALL_TABLES.filter((t) => t !== 'campaign_winners'));
      assert.deepEqual(await answersOf(sql), answersContracted);
      assert.deepEqual((await answersOf(sql)).rows.slice(0, answersAt0007.rows.length), answersAt0007.rows);
      // the old key is back and holds: a second win of a winner is refused
      await assert.rejects(oldDecision(b, 3, 'b9', 'SUCCESS'), (err) => violatedUniqueKey(err) === 'uq_participation_winner');
    }));
});

/** participations' columns, indexes and foreign keys, each as one line, in a stable order. */
async function schemaOf(sequelize: Sequelize): Promise<{ columns: string[]; indexes: string[]; foreignKeys: string[] }> {
  const select = <R extends object>(query: string) => sequelize.query<R>(query, { type: QueryTypes.SELECT });
  const columns = await select<{ c: string }>(
    `SELECT CONCAT_WS(' ', column_name, column_type, is_nullable, IFNULL(generation_expression, ''), extra) AS c
     FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'participations' ORDER BY ordinal_position`,
  );
  const indexes = await select<{ i: string }>(
    `SELECT CONCAT(index_name, IF(non_unique = 0, ' unique', ''), ' (', GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ', '), ')') AS i
     FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'participations'
     GROUP BY index_name, non_unique ORDER BY index_name`,
  );
  const foreignKeys = await select<{ f: string }>(
    `SELECT CONCAT(constraint_name, ' (', column_name, ') -> ', referenced_table_name, ' (', referenced_column_name, ')') AS f
     FROM information_schema.key_column_usage
     WHERE table_schema = DATABASE() AND table_name = 'participations' AND referenced_table_name IS NOT NULL ORDER BY constraint_name`,
  );
  return { columns: columns.map((r) => r.c), indexes: indexes.map((r) => r.i), foreignKeys: foreignKeys.map((r) => r.f) };
}

/** Every answer the history holds, raw and as the lookups read it, and the campaign counters. */
async function answersOf(sequelize: Sequelize): Promise<{ rows: unknown[]; answers: unknown[]; counters: unknown[]; lookups: unknown[] }> {
  const rows = await sequelize.query<{ request_id: string; campaign_id: number; user_id: number }>(
    `SELECT request_id, campaign_id, user_id, status, source, log_partition, log_offset, accepted_at, decided_at FROM participations ORDER BY id`,
    { type: QueryTypes.SELECT },
  );
  const answers = await sequelize.query('SELECT * FROM short_circuit_answers ORDER BY request_id', { type: QueryTypes.SELECT });
  const counters = await sequelize.query('SELECT id, total_stock, current_stock, success_count, sold_out_count, duplicate_count FROM campaigns ORDER BY id', {
    type: QueryTypes.SELECT,
  });
  // the lookups need no winner table: they read at every step, also at 0007
  const store = new ParticipationStore(sequelize);
  const lookups: unknown[] = [];
  for (const r of rows) lookups.push(await store.findByRequestId(r.request_id), await store.findByCampaignAndUser(r.campaign_id, r.user_id));
  for (const id of ['a6', 'a7']) lookups.push(await store.findByRequestId(id));
  return { rows, answers, counters, lookups };
}
