import { QueryTypes, Transaction, UniqueConstraintError, type Sequelize } from 'sequelize';

/** A campaign row as the Campaign controller sees it: spec fields, O(1) counters and its object's uid. */
export interface LinkedCampaign {
  readonly id: number;
  readonly name: string;
  readonly totalStock: number;
  readonly currentStock: number;
  readonly successCount: number;
  readonly soldOutCount: number;
  readonly duplicateCount: number;
  readonly pending: number;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly resourceUid: string | null;
}

export interface CampaignFields {
  readonly name: string;
  readonly totalStock: number;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
}

/** Fields of a campaign row to set; an absent one stays as it is. */
export interface FieldChange {
  readonly name?: string;
  readonly totalStock?: number;
  readonly startsAt?: Date | null;
  readonly endsAt?: Date | null;
}

interface Row {
  id: number | string;
  name: string;
  total_stock: number;
  current_stock: number;
  success_count: number | string;
  sold_out_count: number | string;
  duplicate_count: number | string;
  pending: number | string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  resource_uid: string | null;
}

const SELECT = `SELECT c.id, c.name, c.total_stock, c.current_stock, c.success_count, c.sold_out_count, c.duplicate_count,
    GREATEST(0, CAST(COALESCE(a.accepted, 0) AS SIGNED) - CAST(c.log_resolved_count AS SIGNED)) AS pending,
    c.starts_at, c.ends_at, c.resource_uid
  FROM campaigns c LEFT JOIN campaign_accepts a ON a.campaign_id = c.id`;

function toLinked(r: Row): LinkedCampaign {
  return {
    id: Number(r.id),
    name: r.name,
    totalStock: r.total_stock,
    currentStock: r.current_stock,
    successCount: Number(r.success_count),
    soldOutCount: Number(r.sold_out_count),
    duplicateCount: Number(r.duplicate_count),
    pending: Number(r.pending ?? 0),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    resourceUid: r.resource_uid,
  };
}

export type StockRefusal = { readonly refused: true; readonly message: string } | { readonly refused: false };

export type StockPlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'set'; readonly totalStock: number; readonly currentStock: number }
  | { readonly kind: 'refused'; readonly refusal: StockRefusal & { refused: true } };

function stockRefusalMessage(wanted: number, winners: number, kept: number): string {
  return `totalStock ${wanted} is below the ${winners} winners already decided; keeping ${kept}`;
}

/**
 * A total stock change against the row as locked. Winners are never taken back, so a total below
 * them is refused; otherwise what is left moves by the change of the total, so winners stay counted.
 */
export function planStock(locked: { totalStock: number; currentStock: number; successCount: number }, wanted: number): StockPlan {
  if (wanted === locked.totalStock) return { kind: 'unchanged' };
  if (wanted < locked.successCount) return { kind: 'refused', refusal: { refused: true, message: stockRefusalMessage(wanted, locked.successCount, locked.totalStock) } };
  return { kind: 'set', totalStock: wanted, currentStock: locked.currentStock + (wanted - locked.totalStock) };
}

/** What the Campaign controller reads and writes; rows are found by their object's uid. */
export class CampaignResourceStore {
  constructor(private readonly sequelize: Sequelize) {}

  private async select(where: string, replacements: unknown[], transaction?: Transaction): Promise<LinkedCampaign[]> {
    const rows = await this.sequelize.query<Row>(`${SELECT} ${where}`, { replacements, type: QueryTypes.SELECT, transaction });
    return rows.map(toLinked);
  }

  async findByUid(uid: string): Promise<LinkedCampaign | null> {
    return (await this.select('WHERE c.resource_uid = ?', [uid]))[0] ?? null;
  }

  async findById(id: number): Promise<LinkedCampaign | null> {
    return (await this.select('WHERE c.id = ?', [id]))[0] ?? null;
  }

  /** Counters of many campaigns in one statement (the status refresh of every Open campaign). */
  async findByIds(ids: readonly number[]): Promise<LinkedCampaign[]> {
    if (ids.length === 0) return [];
    return this.select('WHERE c.id IN (?)', [[...ids]]);
  }

  /** Campaigns no object stands for yet (created through the HTTP API), oldest first. */
  async unlinked(limit: number): Promise<LinkedCampaign[]> {
    return this.select('WHERE c.resource_uid IS NULL ORDER BY c.id LIMIT ?', [limit]);
  }

  /**
   * The row for an object, created if none exists. The unique uid makes this idempotent: a retry
   * after a crash, or a second controller racing this one, finds the row the first one made.
   * `now` is the row's created_at: the caller's clock, as for every timestamp the controller writes.
   */
  async ensureForUid(uid: string, fields: CampaignFields, now: Date): Promise<LinkedCampaign> {
    const existing = await this.findByUid(uid);
    if (existing) return existing;
    try {
      await this.sequelize.query(
        `INSERT INTO campaigns (name, total_stock, current_stock, starts_at, ends_at, created_at, resource_uid)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        { replacements: [fields.name, fields.totalStock, fields.totalStock, fields.startsAt, fields.endsAt, now, uid] },
      );
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
    const created = await this.findByUid(uid);
    if (!created) throw new Error(`campaign for object ${uid} vanished after its creation`);
    return created;
  }

  /** Ties an existing unlinked row to an object; false when the row is already tied to another. */
  async link(id: number, uid: string): Promise<boolean> {
    const [, affected] = await this.sequelize.query('UPDATE campaigns SET resource_uid = ? WHERE id = ? AND (resource_uid IS NULL OR resource_uid = ?)', {
      replacements: [uid, id, uid],
      type: QueryTypes.UPDATE,
    });
    return affected === 1;
  }

  /**
   * Applies a spec change with the row locked the way the consumer locks it (FOR UPDATE), so a
   * stock change cannot interleave with a batch's decisions: current stock moves by the same
   * delta as total stock, and a total below the winners decided by then is refused.
   */
  async apply(id: number, change: FieldChange): Promise<StockRefusal> {
    return this.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, async (transaction) => {
      const locked = await this.sequelize.query<{ total_stock: number; current_stock: number; success_count: number | string }>(
        'SELECT total_stock, current_stock, success_count FROM campaigns WHERE id = ? FOR UPDATE',
        { replacements: [id], type: QueryTypes.SELECT, transaction },
      );
      const row = locked[0];
      if (!row) throw new Error(`campaign ${id} does not exist`);
      const sets: string[] = [];
      const values: unknown[] = [];
      let refusal: StockRefusal = { refused: false };
      if (change.totalStock !== undefined) {
        const stock = planStock({ totalStock: row.total_stock, currentStock: row.current_stock, successCount: Number(row.success_count) }, change.totalStock);
        if (stock.kind === 'refused') refusal = stock.refusal;
        if (stock.kind === 'set') {
          sets.push('current_stock = ?', 'total_stock = ?');
          values.push(stock.currentStock, stock.totalStock);
        }
      }
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        values.push(value);
      };
      if (change.name !== undefined) set('name', change.name);
      if (change.startsAt !== undefined) set('starts_at', change.startsAt);
      if (change.endsAt !== undefined) set('ends_at', change.endsAt);
      if (sets.length > 0) await this.sequelize.query(`UPDATE campaigns SET ${sets.join(', ')} WHERE id = ?`, { replacements: [...values, id], transaction });
      return refusal;
    });
  }

  /** Ends a campaign now (no further participation is accepted); an earlier end stays. History is untouched. */
  async end(id: number, now: Date): Promise<void> {
    await this.sequelize.query('UPDATE campaigns SET ends_at = ? WHERE id = ? AND (ends_at IS NULL OR ends_at > ?)', { replacements: [now, id, now] });
  }
}
