import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { CampaignDelta, RequestOwner } from '../core/decide.js';
import type { DeadLetterRow } from '../core/dead-letter.js';
import type { DeciderPosition } from '../core/day-decided.js';
import type { ShortCircuitVerdict, Verdict } from '../core/verdict.js';
import { counterUpdate } from './campaign-counters.js';
import { sqlDateTime } from './datetime.js';
import { chunkBySize, readMaxAllowedPacket, sqlTextBytes, statementBudget } from './statement-size.js';
import { FIND_WINNERS, INSERT_WINNERS, WINNER_SCHEMA_SQL, winnerSchemaOf, type WinnerSchema } from './winner-schema.js';

export interface LogPosition {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

/** A position in one incarnation of the topic (its id, see kafka/topic-id.ts). */
export interface TopicPosition extends LogPosition {
  readonly topicId: string;
}

export interface StoredPosition {
  readonly next: number;
  readonly topicId: string | null;
}

export interface DecisionRow {
  requestId: string;
  campaignId: number;
  userId: number;
  status: Verdict;
  partition: number;
  offset: number;
  acceptedAt: Date;
}

/** An answer the API gave before any decision (the campaign was sold out), as the log carried it. */
export interface AnswerRow {
  requestId: string;
  campaignId: number;
  userId: number;
  status: ShortCircuitVerdict;
  answeredAt: Date;
}

/** Another writer moved the stored offset: this consumer is a zombie or raced a rebalance. */
export class OffsetFencedError extends Error {
  override readonly name = 'OffsetFencedError';
  constructor(
    readonly expected: number,
    readonly stored: number | null,
  ) {
    super(`stored offset is ${stored ?? 'missing'}, expected ${expected}`);
  }
}

/** The consumer's next offset per partition of a topic, as committed with its decisions. */
export async function readStoredOffsets(sequelize: Sequelize, group: string, topic: string): Promise<Map<number, number>> {
  return new Map([...(await readStoredPositions(sequelize, group, topic))].map(([partition, p]) => [partition, p.next]));
}

/** The stored offsets with the topic id each is a position in. */
export async function readStoredPositions(sequelize: Sequelize, group: string, topic: string): Promise<Map<number, StoredPosition>> {
  const rows = await sequelize.query<{ log_partition: number; next_offset: number; topic_id: string | null }>(
    'SELECT log_partition, next_offset, topic_id FROM consumer_offsets WHERE consumer_group = ? AND topic = ?',
    { replacements: [group, topic], type: QueryTypes.SELECT },
  );
  return new Map(rows.map((r) => [r.log_partition, { next: r.next_offset, topicId: r.topic_id }]));
}

/** Every decider's progress in time, each partition as it recorded with its offset. */
export async function readDeciderPositions(sequelize: Sequelize): Promise<DeciderPosition[]> {
  const rows = await sequelize.query<{ consumer_group: string; topic: string; log_partition: number; decided_through: Date | null; caught_up_at: Date | null }>(
    'SELECT consumer_group, topic, log_partition, decided_through, caught_up_at FROM consumer_offsets ORDER BY consumer_group, topic, log_partition',
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ group: r.consumer_group, topic: r.topic, partition: r.log_partition, decidedThrough: r.decided_through, caughtUpAt: r.caught_up_at }));
}

/** Rows per multi-row INSERT at most, whatever their size: beyond it a statement gains nothing. */
const INSERT_CHUNK = 2_000;

const DEAD_LETTER_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function deadLetterValues(r: DeadLetterRow, created: string, topicId: string | null): unknown[] {
  return [
    r.topic,
    r.partition,
    r.offset,
    r.reasonCode,
    r.reason.slice(0, 500),
    r.subject?.requestId ?? null,
    r.subject?.campaignId ?? null,
    r.subject?.userId ?? null,
    r.key,
    r.payload,
    r.payloadBytes,
    created,
    topicId,
  ];
}

/** One row of a multi-row VALUES list: its placeholders' text, the separator and the values. */
const rowBytes = (template: string, values: readonly unknown[]) => template.length + 2 + values.reduce<number>((sum, v) => sum + sqlTextBytes(v), 0);

/**
 * A dead letter whose row would not fit a statement of `room` bytes keeps only the first bytes of
 * its payload that do (`payloadBytes` still says how large it was): a letter the server refuses
 * would stop the stream, and the log keeps the whole entry until retention removes it.
 */
export function fitDeadLetter(r: DeadLetterRow, room: number, created: string, topicId: string | null = null): DeadLetterRow {
  if (r.payload === null || rowBytes(DEAD_LETTER_ROW, deadLetterValues(r, created, topicId)) <= room) return r;
  const fixed = rowBytes(DEAD_LETTER_ROW, deadLetterValues({ ...r, payload: Buffer.alloc(0) }, created, topicId));
  const keep = Math.max(0, Math.floor((room - fixed) / 2));
  return { ...r, payload: r.payload.subarray(0, keep) };
}

/**
 * The consumer's side of the database: everything a batch reads and writes, in one transaction.
 * The batch's transaction runs on a connection of its own straight through mysql2: sequelize's
 * replacement parser walks the whole text of a 5,000-row INSERT character by character and sets
 * the isolation level again before every transaction: about a third of the consumer's CPU per
 * decision (docs/benchmarks.md, Run 11). Everything else (start, offsets, lag) goes through
 * sequelize like the rest of the code.
 */
export class DecisionStore {
  /** The longest statement the server accepts, with margin (see statement-size.ts), once read. */
  private statementBytes: number | undefined;
  /** Where earlier winners are found (see winner-schema.ts), read by the first transaction and kept. */
  private winnerSchema: WinnerSchema | undefined;
  /**
   * Connections no transaction holds. Partitions consumed concurrently each run their own
   * transaction, so each takes a connection of its own: there are as many as ran at once.
   */
  private readonly idle: Connection[] = [];
  private readonly broken = new WeakSet<Connection>();
  private closed = false;

  /**
   * Sized by the server's max_allowed_packet, read by the first transaction that succeeds in
   * reading it and kept: a database that is down while the consumer starts is waited for like
   * any other, never a reason to exit.
   */
  constructor(private readonly sequelize: Sequelize) {}

  /** A connection for one batch's transaction, READ COMMITTED set once for its life. */
  private async acquire(): Promise<Connection> {
    const ready = this.idle.pop();
    if (ready !== undefined) return ready;
    const c = this.sequelize.config;
    const conn = await createConnection({
      host: c.host,
      port: Number(c.port),
      user: c.username,
      password: c.password ?? undefined,
      database: c.database,
      supportBigNumbers: true,
      bigNumberStrings: false,
      timezone: 'Z',
      connectTimeout: 5_000,
    });
    // a connection the server closed says so here, outside any query: it is not used again
    conn.on('error', () => this.forget(conn));
    try {
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    } catch (err) {
      conn.destroy();
      throw err;
    }
    return conn;
  }

  private release(conn: Connection): void {
    if (this.closed || this.broken.has(conn)) return;
    this.idle.push(conn);
  }

  /** Drops a broken connection: the next batch opens another. */
  private forget(conn: Connection): void {
    this.broken.add(conn);
    conn.destroy();
    const at = this.idle.indexOf(conn);
    if (at >= 0) this.idle.splice(at, 1);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((conn) => conn.end().catch(() => undefined)));
  }

  async readOffset(at: LogPosition): Promise<number | null> {
    return (await this.readStored(at))?.next ?? null;
  }

  /** The stored offset with the id of the topic it is a position in (null: recorded before ids were). */
  async readStored(at: LogPosition): Promise<StoredPosition | null> {
    const rows = await this.sequelize.query<{ next_offset: number; topic_id: string | null }>(
      'SELECT next_offset, topic_id FROM consumer_offsets WHERE consumer_group = ? AND topic = ? AND log_partition = ?',
      { replacements: [at.group, at.topic, at.partition], type: QueryTypes.SELECT },
    );
    return rows[0] ? { next: rows[0].next_offset, topicId: rows[0].topic_id } : null;
  }

  /**
   * Names the topic of rows recorded before topic ids were; a row that names one keeps it. Its
   * dead letters too: a NULL never equals another in the unique position key, so a position read
   * again (an offset rewound by hand) would otherwise get a second letter.
   */
  async adoptTopicId(at: LogPosition, topicId: string): Promise<void> {
    await this.sequelize.query('UPDATE consumer_offsets SET topic_id = ? WHERE consumer_group = ? AND topic = ? AND log_partition = ? AND topic_id IS NULL', {
      replacements: [topicId, at.group, at.topic, at.partition],
    });
    await this.sequelize.query('UPDATE IGNORE dead_letters SET topic_id = ? WHERE topic = ? AND log_partition = ? AND topic_id IS NULL', {
      replacements: [topicId, at.topic, at.partition],
    });
  }

  storedPositions(group: string, topic: string): Promise<Map<number, StoredPosition>> {
    return readStoredPositions(this.sequelize, group, topic);
  }

  /** Records where a partition starts the first time it is seen; an existing position wins. */
  async initOffset(at: LogPosition, offset: number, topicId: string, now: Date): Promise<StoredPosition> {
    await this.sequelize.query(
      'INSERT IGNORE INTO consumer_offsets (consumer_group, topic, log_partition, next_offset, topic_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      { replacements: [at.group, at.topic, at.partition, offset, topicId, sqlDateTime(now)] },
    );
    const stored = await this.readStored(at);
    if (stored === null) throw new Error('offset row vanished');
    return stored;
  }

  /**
   * Records that everything the log held at `measuredAt` is decided, if the stored offset has
   * reached `logEnd`, the end measured after that instant. The condition is checked by the same
   * statement that writes, so a rewound or fenced offset cannot claim it; nor can an offset of
   * another log than `topicId` (a recreated topic's end lies below the old log's offset).
   */
  async markCaughtUp(at: LogPosition, logEnd: number, measuredAt: Date, topicId: string): Promise<void> {
    const when = sqlDateTime(measuredAt);
    await this.sequelize.query(
      `UPDATE consumer_offsets SET caught_up_at = ?
       WHERE consumer_group = ? AND topic = ? AND log_partition = ? AND topic_id = ? AND next_offset >= ? AND (caught_up_at IS NULL OR caught_up_at < ?)`,
      { replacements: [when, at.group, at.topic, at.partition, topicId, logEnd, when] },
    );
  }

  async transaction<T>(work: (tx: DecisionTransaction) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      const statementBytes = (this.statementBytes ??= statementBudget(await readMaxAllowedPacket(conn)));
      this.winnerSchema ??= winnerSchemaOf((await conn.query<RowDataPacket[]>(WINNER_SCHEMA_SQL))[0][0] as { winners_table: number; old_key: number } | undefined);
      await conn.query('START TRANSACTION');
      const result = await work(new DecisionTransaction(conn, statementBytes, this.winnerSchema));
      await conn.query('COMMIT');
      return result;
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => this.forget(conn));
      if ((err as { fatal?: boolean } | null)?.fatal === true) this.forget(conn);
      throw err;
    } finally {
      this.release(conn);
    }
  }
}

/** The statements of one batch, on a connection whose transaction the caller has begun. */
export class DecisionTransaction {
  constructor(
    private readonly conn: Connection,
    private readonly statementBytes: number,
    /** `expand` unless known: its look-up is right in both states, only slower. */
    readonly winnerSchema: WinnerSchema = 'expand',
  ) {}

  /**
   * Runs `sql` over `items` in as many statements as fit, each with `copies` of `[...before, list]`
   * as its replacements (`before`: values that come ahead of the list in each copy).
   */
  private async selectIn<R extends object>(sql: string, items: readonly unknown[], copies = 1, before: unknown[] = []): Promise<R[]> {
    const room = Math.floor((this.statementBytes - sql.length) / copies - sqlTextBytes(before));
    const rows: R[] = [];
    for (const chunk of chunkBySize(items, (v) => sqlTextBytes(v) + 2, room, Number.MAX_SAFE_INTEGER)) {
      rows.push(...(await this.select<R>(sql, Array.from({ length: copies }, () => [...before, chunk]).flat(1))));
    }
    return rows;
  }

  /** `head VALUES (row), (row), ...` in as many statements as fit, in order. */
  private async insertRows(head: string, row: string, rows: readonly (readonly unknown[])[]): Promise<void> {
    const room = this.statementBytes - head.length - ' VALUES '.length;
    for (const chunk of chunkBySize(rows, (values) => rowBytes(row, values), room, INSERT_CHUNK)) {
      await this.run(`${head} VALUES ${chunk.map(() => row).join(', ')}`, chunk.flat());
    }
  }

  private async select<R extends object>(sql: string, replacements: unknown[]): Promise<R[]> {
    const [rows] = await this.conn.query<RowDataPacket[]>(sql, replacements);
    return rows as R[];
  }

  private async run(sql: string, replacements: unknown[]): Promise<number> {
    const [result] = await this.conn.query<ResultSetHeader>(sql, replacements);
    return result.affectedRows;
  }

  /**
   * Locks this partition's offset row: a second consumer on the same partition waits here, then
   * fails the check; so does one whose offset row now names another incarnation of the topic.
   */
  async fence(at: TopicPosition, expected: number): Promise<void> {
    const rows = await this.select<{ next_offset: number; topic_id: string | null }>(
      'SELECT next_offset, topic_id FROM consumer_offsets WHERE consumer_group = ? AND topic = ? AND log_partition = ? FOR UPDATE',
      [at.group, at.topic, at.partition],
    );
    const stored = rows[0] ? rows[0].next_offset : null;
    if (stored !== expected || rows[0]?.topic_id !== at.topicId) throw new OffsetFencedError(expected, stored);
  }

  /** Remaining stock of the given campaigns, their rows locked (in id order, so lockers never deadlock). */
  async lockCampaigns(ids: readonly number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.selectIn<{ id: number; current_stock: number }>(
      'SELECT id, current_stock FROM campaigns WHERE id IN (?) ORDER BY id FOR UPDATE',
      [...ids].sort((a, b) => a - b),
    );
    return new Map(rows.map((r) => [r.id, r.current_stock]));
  }

  /**
   * Which of these users already won these campaigns: from campaign_winners, and while the schema
   * is in its expand state also from the wins of `participations` (see winner-schema.ts).
   */
  async findWinners(usersByCampaign: ReadonlyMap<number, ReadonlySet<number>>): Promise<Map<number, Set<number>>> {
    const campaignIds = [...usersByCampaign].filter(([, users]) => users.size > 0).map(([id]) => id);
    const winners = new Map<number, Set<number>>();
    if (campaignIds.length === 0) return winners;
    const userIds = new Set<number>();
    for (const id of campaignIds) for (const u of usersByCampaign.get(id) ?? []) userIds.add(u);
    // One statement while the campaign rows are locked; the cross product may name a user who only
    // asked for another campaign, so each row is kept only if its pair was asked for.
    const lookup = FIND_WINNERS[this.winnerSchema];
    const rows = await this.selectIn<{ campaign_id: number | string; user_id: number | string }>(lookup.sql, [...userIds], lookup.copies, [campaignIds]);
    for (const r of rows) {
      const campaignId = Number(r.campaign_id);
      const userId = Number(r.user_id);
      if (!usersByCampaign.get(campaignId)?.has(userId)) continue;
      let users = winners.get(campaignId);
      if (!users) winners.set(campaignId, (users = new Set()));
      users.add(userId);
    }
    return winners;
  }

  /** Which of these request ids were decided or answered before, and for whom. */
  async findDecidedRequestIds(requestIds: readonly string[]): Promise<Map<string, RequestOwner>> {
    if (requestIds.length === 0) return new Map();
    const rows = await this.selectIn<{ request_id: string; campaign_id: number | string; user_id: number | string }>(
      `SELECT request_id, campaign_id, user_id FROM participations WHERE request_id IN (?)
       UNION ALL SELECT request_id, campaign_id, user_id FROM short_circuit_answers WHERE request_id IN (?)`,
      requestIds,
      2,
    );
    return new Map(rows.map((r) => [r.request_id, { campaignId: Number(r.campaign_id), userId: Number(r.user_id) }]));
  }

  async insertDecisions(rows: readonly DecisionRow[], decidedAt: Date): Promise<void> {
    const decided = sqlDateTime(decidedAt);
    await this.insertRows(
      'INSERT INTO participations (request_id, campaign_id, user_id, status, source, log_partition, log_offset, accepted_at, decided_at)',
      "(?, ?, ?, ?, 'KAFKA', ?, ?, ?, ?)",
      rows.map((r) => [r.requestId, r.campaignId, r.userId, r.status, r.partition, r.offset, sqlDateTime(r.acceptedAt), decided]),
    );
    // The one-win-per-user promise: a second win of a user in a campaign is refused here (the
    // batch rolls back), whichever decider recorded the first.
    await this.insertRows(
      INSERT_WINNERS,
      '(?, ?, ?)',
      rows.filter((r) => r.status === 'SUCCESS').map((r) => [r.campaignId, r.userId, r.requestId]),
    );
  }

  /** IGNORE: an answer already stored (the same request short-circuited by the API before) keeps its first form. */
  async insertAnswers(rows: readonly AnswerRow[]): Promise<void> {
    await this.insertRows(
      'INSERT IGNORE INTO short_circuit_answers (request_id, campaign_id, user_id, status, answered_at)',
      '(?, ?, ?, ?, ?)',
      rows.map((r) => [r.requestId, r.campaignId, r.userId, r.status, sqlDateTime(r.answeredAt)]),
    );
  }

  /** Applies counter changes; `resolved` counts every message of the campaign taken off the log. */
  async applyDeltas(deltas: Iterable<CampaignDelta>, resolved: ReadonlyMap<number, number>): Promise<void> {
    const touched = new Set(resolved.keys());
    for (const d of deltas) {
      touched.delete(d.campaignId);
      const update = counterUpdate(d, resolved.get(d.campaignId) ?? 0);
      await this.run(update.sql, update.replacements);
    }
    for (const campaignId of touched) {
      await this.run('UPDATE campaigns SET log_resolved_count = log_resolved_count + ? WHERE id = ?', [resolved.get(campaignId) ?? 0, campaignId]);
    }
  }

  /** Unpublished until the relay has copied them to the dead-letter topic after the commit. */
  /** `topicId`: the incarnation of the topic the positions are in. */
  async insertDeadLetters(rows: readonly DeadLetterRow[], at: Date, topicId: string): Promise<void> {
    const created = sqlDateTime(at);
    // IGNORE: a log position re-read from an earlier offset keeps the dead letter it was first given.
    const head = `INSERT IGNORE INTO dead_letters
           (topic, log_partition, log_offset, reason_code, reason, request_id, campaign_id, user_id, message_key, payload, payload_bytes, created_at, topic_id)`;
    const room = this.statementBytes - head.length - ' VALUES '.length;
    await this.insertRows(head, DEAD_LETTER_ROW, rows.map((r) => deadLetterValues(fitDeadLetter(r, room, created, topicId), created, topicId)));
  }

  /** `decidedThrough`: acceptedAt of the batch's last readable entry (null: none was readable, the old value stays). */
  async setOffset(at: LogPosition, next: number, now: Date, decidedThrough: Date | null): Promise<void> {
    await this.run(
      'UPDATE consumer_offsets SET next_offset = ?, updated_at = ?, decided_through = COALESCE(?, decided_through) WHERE consumer_group = ? AND topic = ? AND log_partition = ?',
      [next, sqlDateTime(now), decidedThrough === null ? null : sqlDateTime(decidedThrough), at.group, at.topic, at.partition],
    );
  }
}
