import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { QueryTypes } from 'sequelize';
import { DecisionStore, HistoryLoadError, type DecisionRow, type HistoryWrite } from '../../services/db/decision-store.js';
import { timeOrderedId } from '../../services/platform/request-id.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const at = { group: 'g', topic: 't', partition: 0, topicId: 'tid' };

/** A store and what it logged, one JSON object a line. */
function storeOf(db: TestDatabase, historyWrite: HistoryWrite) {
  const lines: { level: number; msg: string; path?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  return { store: new DecisionStore(db.sequelize, { historyWrite, logger }), lines };
}

/**
 * The history's rows written by LOAD DATA LOCAL INFILE (CONSUMER_HISTORY_WRITE=auto) against the
 * multi-row INSERTs: the same rows, the same refusal of a duplicate, and the INSERTs whenever the
 * server does not allow LOCAL INFILE.
 */
describe('the history written by LOAD DATA or by INSERT', () => {
  let db: TestDatabase;
  let campaignId = 0;
  let offset = 0;

  const q = <T extends object>(sql: string, replacements: unknown[] = []) => db.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  const loads = async () => Number((await q<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Com_load'"))[0]?.Value);
  const storedOffset = async () => Number((await q<{ n: number }>('SELECT next_offset AS n FROM consumer_offsets'))[0]?.n);
  const history = () =>
    q<Record<string, unknown>>(
      `SELECT request_id, HEX(request_id) AS hex, campaign_id, user_id, status, source, log_partition, log_offset,
              CAST(accepted_at AS CHAR) AS accepted_at, CAST(decided_at AS CHAR) AS decided_at
       FROM participations ORDER BY log_offset`,
    );
  const winners = () => q<Record<string, unknown>>('SELECT campaign_id, user_id, request_id FROM campaign_winners ORDER BY campaign_id, user_id');

  /** A batch as the consumer commits it: fenced, its rows, the next offset, in one transaction. */
  async function commit(store: DecisionStore, rows: DecisionRow[], decidedAt = new Date('2026-12-04T10:00:00.123Z')): Promise<void> {
    await store.transaction(async (tx) => {
      await tx.fence(at, offset);
      await tx.insertDecisions(rows, decidedAt);
      await tx.setOffset(at, offset + rows.length, decidedAt, rows.at(-1)?.acceptedAt ?? null);
    });
    offset += rows.length;
  }

  function rowsOf(requestIds: readonly string[]): DecisionRow[] {
    const statuses = ['SUCCESS', 'SOLD_OUT', 'DUPLICATE'] as const;
    // a win every third entry, by a user of its own (one above 2^32 to show the width)
    return requestIds.map((requestId, i) => ({
      requestId,
      campaignId,
      userId: offset + i === 0 ? 4_294_967_296 : offset + i + 1,
      status: statuses[(offset + i) % 3] ?? 'SOLD_OUT',
      partition: 0,
      offset: offset + i,
      acceptedAt: new Date(Date.UTC(2026, 11, 4, 9, 59, 59, (offset + i) % 1000)),
    }));
  }

  before(async () => {
    db = await createTestDatabase();
    const [row] = await q<{ id: number }>("INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('history', 1000, 1000) RETURNING id");
    campaignId = Number(row?.id);
  });
  after(async () => {
    await db.sequelize.query('SET GLOBAL local_infile = 1');
    await db.drop();
  });
  beforeEach(async () => {
    await db.sequelize.query('DELETE FROM participations');
    await db.sequelize.query('DELETE FROM campaign_winners');
    await db.sequelize.query('DELETE FROM consumer_offsets');
    await db.sequelize.query("INSERT INTO consumer_offsets (consumer_group, topic, log_partition, next_offset, topic_id, updated_at) VALUES ('g', 't', 0, 0, 'tid', NOW(3))");
    offset = 0;
  });

  it('stores the same rows either way, whatever a request id holds', async () => {
    const ids = [
      // every character REQUEST_ID_PATTERN allows, and its longest id
      'AZaz09._:-',
      'x'.repeat(64),
      '.',
      ':',
      '-',
      '_',
      timeOrderedId(),
      randomUUID(),
      // and what it does not, should one get this far: each must be escaped in the load's text
      'back\\slash',
      'tab\there',
      'new\nline',
      'nul\0byte',
      '\\N',
      'NULL',
      "it's \"quoted\"",
      ' spaced ',
      '\r',
      ...Array.from({ length: 3_000 }, (_, i) => `bulk-${i}`),
    ];
    const written: Partial<Record<HistoryWrite, { history: Record<string, unknown>[]; winners: Record<string, unknown>[] }>> = {};
    for (const mode of ['auto', 'insert'] as const) {
      await db.sequelize.query('DELETE FROM participations');
      await db.sequelize.query('DELETE FROM campaign_winners');
      await db.sequelize.query('UPDATE consumer_offsets SET next_offset = 0');
      offset = 0;
      const { store, lines } = storeOf(db, mode);
      const loadsBefore = await loads();
      try {
        await commit(store, rowsOf(ids));
      } finally {
        await store.close();
      }
      assert.equal((await loads()) - loadsBefore, mode === 'auto' ? 1 : 0, `${mode}: LOAD DATA statements`);
      assert.deepEqual(
        lines.map((l) => l.path),
        [mode === 'auto' ? 'load' : 'insert'],
      );
      written[mode] = { history: await history(), winners: await winners() };
    }
    const loaded = written.auto;
    assert.ok(loaded);
    assert.equal(loaded.history.length, ids.length);
    assert.deepEqual(
      loaded.history.slice(0, 17).map((r) => r.request_id),
      ids.slice(0, 17),
    );
    assert.deepEqual(loaded, written.insert);
  });

  for (const mode of ['auto', 'insert'] as const) {
    it(`${mode}: a request id twice in one batch fails the whole batch, its offset too`, async () => {
      const { store } = storeOf(db, mode);
      try {
        const rows = rowsOf(['first', 'again', 'last']);
        rows[1] = { ...(rows[1] as DecisionRow), requestId: 'first' };
        await assert.rejects(
          commit(store, rows),
          (err: unknown) =>
            (mode === 'auto' ? err instanceof HistoryLoadError : (err as { code?: string }).code === 'ER_DUP_ENTRY') &&
            /Duplicate entry 'first' for key 'uq_participation_request'/.test((err as Error).message),
        );
        assert.deepEqual(await history(), []);
        assert.deepEqual(await winners(), []);
        assert.equal(await storedOffset(), 0);
        // the same store goes on with the next batch
        await commit(store, rowsOf(['first', 'again']));
        assert.equal((await history()).length, 2);
      } finally {
        await store.close();
      }
    });

    it(`${mode}: a request id a batch before decided fails the batch that repeats it`, async () => {
      const { store } = storeOf(db, mode);
      try {
        await commit(store, rowsOf(['one', 'two']));
        await assert.rejects(commit(store, rowsOf(['three', 'two', 'four'])), /Duplicate entry 'two'/);
        assert.deepEqual(
          (await history()).map((r) => r.request_id),
          ['one', 'two'],
        );
        assert.equal(await storedOffset(), 2);
      } finally {
        await store.close();
      }
    });
  }

  it('auto: a value the server would cut fails the batch instead of being stored cut', async () => {
    const { store } = storeOf(db, 'auto');
    try {
      // 65 characters: the INSERT is refused in strict mode; with LOCAL the load only warns
      await assert.rejects(commit(store, rowsOf(['ok', 'y'.repeat(65)])), (err: unknown) => err instanceof HistoryLoadError && /Data too long|truncated/i.test(err.message));
      assert.deepEqual(await history(), []);
      assert.equal(await storedOffset(), 0);
    } finally {
      await store.close();
    }
  });

  it('auto: a server without LOCAL INFILE gets the INSERTs, said once', async () => {
    await db.sequelize.query('SET GLOBAL local_infile = 0');
    const { store, lines } = storeOf(db, 'auto');
    try {
      const loadsBefore = await loads();
      await commit(store, rowsOf(['a', 'b']));
      await commit(store, rowsOf(['c']));
      assert.equal((await history()).length, 3);
      assert.equal(await storedOffset(), 3);
      assert.equal(await loads(), loadsBefore);
      assert.deepEqual(
        lines.map((l) => [l.path, l.msg]),
        [['insert', 'history rows written by INSERT (the server does not allow LOCAL INFILE)']],
      );
    } finally {
      await db.sequelize.query('SET GLOBAL local_infile = 1');
      await store.close();
    }
  });

  it('auto: LOCAL INFILE switched off under a running store costs no batch', async () => {
    const { store, lines } = storeOf(db, 'auto');
    try {
      await commit(store, rowsOf(['before']));
      await db.sequelize.query('SET GLOBAL local_infile = 0');
      try {
        // refused inside the batch's transaction, written by INSERT in the same one
        await commit(store, rowsOf(['refused', 'then-inserted']));
        await commit(store, rowsOf(['after']));
      } finally {
        await db.sequelize.query('SET GLOBAL local_infile = 1');
      }
      // back on, the store keeps to the INSERTs it fell back to
      const loadsBefore = await loads();
      await commit(store, rowsOf(['back-on']));
      assert.equal(await loads(), loadsBefore);
      assert.deepEqual(
        (await history()).map((r) => r.request_id),
        ['before', 'refused', 'then-inserted', 'after', 'back-on'],
      );
      assert.equal(await storedOffset(), 5);
      assert.deepEqual(
        lines.map((l) => l.msg),
        ['history rows written by LOAD DATA LOCAL INFILE', 'the server refused LOAD DATA LOCAL INFILE: history rows written by INSERT from now on'],
      );
    } finally {
      await store.close();
    }
  });
});
