import type { CampaignDelta } from '../core/decide.js';

/**
 * The one statement that applies a decision's effect to a campaign row: stock taken equals wins,
 * and each verdict counter moves with its verdicts. `resolved` counts log entries taken off the
 * log for the campaign (0 on the sync path, which bypasses the log).
 */
export function counterUpdate(d: CampaignDelta, resolved: number): { sql: string; replacements: unknown[] } {
  return {
    sql: `UPDATE campaigns SET current_stock = current_stock - ?, success_count = success_count + ?,
            sold_out_count = sold_out_count + ?, duplicate_count = duplicate_count + ?, log_resolved_count = log_resolved_count + ?
          WHERE id = ?`,
    replacements: [d.success, d.success, d.soldOut, d.duplicate, resolved, d.campaignId],
  };
}
