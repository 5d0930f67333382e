/**
 * Whether a stored offset is a position the consumer may go on from in the log it finds. The
 * stored offset is the truth of what was decided only in the log it was stored for: in a topic
 * deleted and created again (same name, offsets from 0 again) every entry below it would be
 * skipped as "already decided", and entries retention removed before they were decided were
 * accepted (202) and will never be. Neither is something the consumer can repair: it stops and
 * says what an operator has to decide (docs/runbook.md, FcfsConsumerStalled).
 */

export interface StoredLogPosition {
  readonly next: number;
  /** The topic id recorded with the offset; null on a row recorded before ids were. */
  readonly topicId: string | null;
}

export interface CurrentLog {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  /** The log start offset (the first entry retention kept). */
  readonly low: number;
  /** The log end offset (the offset the next entry gets). */
  readonly high: number;
}

export type LogCheck = { readonly ok: true } | { readonly ok: false; readonly kind: 'recreated' | 'truncated'; readonly reason: string };

export function checkLog(stored: StoredLogPosition, log: CurrentLog): LogCheck {
  const where = `topic ${log.topic} partition ${log.partition}`;
  if (stored.topicId !== null && stored.topicId !== log.topicId) {
    return {
      ok: false,
      kind: 'recreated',
      reason:
        `${where} is not the log the offset was stored for: stored topic id ${stored.topicId} at offset ${stored.next}, ` +
        `current topic id ${log.topicId} (log ${log.low}..${log.high}); the topic was deleted and created again`,
    };
  }
  // A log's end never moves back; below the stored offset it is another log (a row without an id
  // cannot tell) or one that lost acknowledged entries.
  if (log.high < stored.next) {
    return {
      ok: false,
      kind: 'recreated',
      reason: `${where} ends at ${log.high}, below the stored offset ${stored.next} (stored topic id ${stored.topicId ?? 'none'}, current ${log.topicId}): not the log the offset was stored for`,
    };
  }
  if (log.low > stored.next) {
    const lost = log.low - stored.next;
    return {
      ok: false,
      kind: 'truncated',
      reason:
        `${where} starts at ${log.low}, above the stored offset ${stored.next}: ${lost} entr${lost === 1 ? 'y' : 'ies'} ` +
        `(offsets ${stored.next}..${log.low - 1}) removed from the log (retention) before they were decided`,
    };
  }
  return { ok: true };
}
