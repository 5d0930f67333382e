import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { decideBatch } from '../core/decide.js';
import type { DecisionSource, Verdict } from '../core/verdict.js';
import { counterUpdate } from './campaign-counters.js';
import { sqlDateTime } from './datetime.js';
import { readStoredOffsets } from './decision-store.js';
import { isRetryableTransactionError, violatedUniqueKey } from './errors.js';
import { HAS_WON, INSERT_WINNERS, replacementsOf, WINNER_SCHEMA_SQL, WINNERS_OF, winnerSchemaOf, type WinnerSchema } from './winner-schema.js';

export interface Participation {
  requestId: string;
  campaignId: number;
  userId: number;
  status: Verdict;
  /** SHORT_CIRCUIT: answered by the API at once, because the campaign was sold out (recorded through the log). */
  source: DecisionSource;
  /** Log position; null for the synchronous path and short-circuit answers, which bypass the log. */
  partition: number | null;
  offset: number | null;
  acceptedAt: Date;
  decidedAt: Date;
}

export interface SyncRequest {
  campaignId: number;
  userId: number;
  requestId: string;
  acceptedAt: Date;
  /** Read when the decision is made (again on a retried transaction). */
  clock: () => Date;
}

export type SyncOutcome =
  | { kind: 'decided'; participation: Participation }
  /** The request id was decided before (an idempotent retry): the earlier decision. */
  | { kind: 'replayed'; participation: Participation };

interface ParticipationRow {
  request_id: string;
  campaign_id: number | string;
  user_id: number | string;
  status: Verdict;
  source: Participation['source'];
  log_partition: number | null;
  log_offset: number | string | null;
  accepted_at: Date;
  decided_at: Date;
}

const COLUMNS = 'request_id, campaign_id, user_id, status, source, log_partition, log_offset, accepted_at, decided_at';
// Short-circuit answers read as decisions, listed after the real ones (`rank`).
const ANSWERS = `SELECT ${COLUMNS}, 0 AS \`rank\`, id AS ord FROM participations WHERE %WHERE%
  UNION ALL
  SELECT request_id, campaign_id, user_id, status, 'SHORT_CIRCUIT', NULL, NULL, answered_at, answered_at, 1, 0 FROM short_circuit_answers WHERE %WHERE%`;

function toParticipation(row: ParticipationRow): Participation {
  return {
    requestId: row.request_id,
    campaignId: Number(row.campaign_id),
    userId: Number(row.user_id),
    status: row.status,
    source: row.source,
    partition: row.log_partition,
    offset: row.log_offset === null ? null : Number(row.log_offset),
    acceptedAt: row.accepted_at,
    decidedAt: row.decided_at,
  };
}

const MAX_ATTEMPTS = 5;

/** The keys whose refusal means another decider recorded the user's win first. */
const WINNER_KEYS = new Set([
  // campaign_winners' primary key (campaign_id, user_id); the history's own is an auto-increment id
  'PRIMARY',
  // participations' old winner key, while the schema is in its expand state (winner-schema.ts)
  'uq_participation_winner',
]);

export class ParticipationStore {
  /** Where earlier winners are found, read the first time it is needed and kept (see winner-schema.ts). */
  private winnerSchema: Promise<WinnerSchema> | undefined;

  constructor(private readonly sequelize: Sequelize) {}

  private schema(): Promise<WinnerSchema> {
    const read = (this.winnerSchema ??= this.sequelize
      .query<{ winners_table: number; old_key: number }>(WINNER_SCHEMA_SQL, { type: QueryTypes.SELECT })
      .then((rows) => winnerSchemaOf(rows[0])));
    // a failed read (database down) is tried again next time
    read.catch(() => {
      if (this.winnerSchema === read) this.winnerSchema = undefined;
    });
    return read;
  }

  /** The answer a request got: its decision, else its short-circuit answer. */
  async findByRequestId(requestId: string): Promise<Participation | null> {
    const rows = await this.sequelize.query<ParticipationRow>(`${ANSWERS.replaceAll('%WHERE%', 'request_id = ?')} ORDER BY \`rank\` LIMIT 1`, {
      replacements: [requestId, requestId],
      type: QueryTypes.SELECT,
    });
    return rows[0] ? toParticipation(rows[0]) : null;
  }

  /** Every user who won the campaign, with the request that won. */
  async winnersOf(campaignId: number): Promise<Map<number, string>> {
    const lookup = WINNERS_OF[await this.schema()];
    const rows = await this.sequelize.query<{ user_id: number | string; request_id: string }>(lookup.sql, {
      replacements: replacementsOf(lookup, [campaignId]),
      type: QueryTypes.SELECT,
    });
    return new Map(rows.map((r) => [Number(r.user_id), r.request_id]));
  }

  storedOffsets(group: string, topic: string): Promise<Map<number, number>> {
    return readStoredOffsets(this.sequelize, group, topic);
  }

  /** Every answer one user got in one campaign: decisions in decision order, then short-circuit answers. */
  async findByCampaignAndUser(campaignId: number, userId: number): Promise<Participation[]> {
    const rows = await this.sequelize.query<ParticipationRow>(
      `${ANSWERS.replaceAll('%WHERE%', 'campaign_id = ? AND user_id = ?')} ORDER BY \`rank\`, decided_at, ord`,
      { replacements: [campaignId, userId, campaignId, userId], type: QueryTypes.SELECT },
    );
    return rows.map(toParticipation);
  }

  /**
   * The synchronous path: one transaction with the campaign row locked. Should a decision of the
   * Kafka path for the same user commit in between anyway, campaign_winners refuses the second
   * win: the transaction rolls back (returning its stock) and is run again, when it sees the
   * winner and is a DUPLICATE.
   */
  async decideSync(request: SyncRequest): Promise<SyncOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { kind: 'decided', participation: await this.decideSyncOnce(request) };
      } catch (err) {
        const key = violatedUniqueKey(err);
        if (key === 'uq_participation_request') {
          const earlier = await this.findByRequestId(request.requestId);
          if (earlier) return { kind: 'replayed', participation: earlier };
        }
        const retry = (key !== undefined && WINNER_KEYS.has(key)) || isRetryableTransactionError(err);
        if (!retry || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /**
   * Reads the facts the rule needs (stock left, whether the user already won) with the campaign
   * row locked, so no other decider can change them, and asks the same pure rule as the consumer.
   */
  private async decideSyncOnce(request: SyncRequest): Promise<Participation> {
    const { campaignId, userId, requestId, acceptedAt, clock } = request;
    const hasWon = HAS_WON[await this.schema()];
    return this.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, async (transaction) => {
      const select = <R extends object>(sql: string, replacements: unknown[]) =>
        this.sequelize.query<R>(sql, { replacements, type: QueryTypes.SELECT, transaction });
      const [campaign] = await select<{ current_stock: number }>('SELECT current_stock FROM campaigns WHERE id = ? FOR UPDATE', [campaignId]);
      if (!campaign) throw new Error(`campaign ${campaignId} vanished`);
      const won = await select(hasWon.sql, replacementsOf(hasWon, [campaignId, userId]));
      const { outcomes, deltas } = decideBatch([{ requestId, campaignId, userId }], {
        stock: new Map([[campaignId, campaign.current_stock]]),
        winners: new Map(won.length > 0 ? [[campaignId, new Set([userId])]] : []),
        decidedRequestIds: new Map(),
      });
      const outcome = outcomes[0];
      const delta = deltas.get(campaignId);
      if (outcome?.kind !== 'decided' || !delta) throw new Error('a known campaign and a new request id are always decided');
      const update = counterUpdate(delta, 0);
      await this.sequelize.query(update.sql, { replacements: update.replacements, type: QueryTypes.BULKUPDATE, transaction });
      const decidedAt = clock();
      await this.sequelize.query(
        `INSERT INTO participations (request_id, campaign_id, user_id, status, source, accepted_at, decided_at)
         VALUES (?, ?, ?, ?, 'SYNC', ?, ?)`,
        { replacements: [requestId, campaignId, userId, outcome.verdict, sqlDateTime(acceptedAt), sqlDateTime(decidedAt)], type: QueryTypes.INSERT, transaction },
      );
      if (outcome.verdict === 'SUCCESS') {
        await this.sequelize.query(`${INSERT_WINNERS} VALUES (?, ?, ?)`, { replacements: [campaignId, userId, requestId], type: QueryTypes.INSERT, transaction });
      }
      return { requestId, campaignId, userId, status: outcome.verdict, source: 'SYNC', partition: null, offset: null, acceptedAt, decidedAt };
    });
  }
}
