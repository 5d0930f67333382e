/**
 * Why a log entry could not be decided. Every entry ends in a decision or a dead letter: nothing
 * taken off the log disappears silently.
 */
export const DEAD_LETTER_REASONS = {
  /** Not a valid participation (unparseable, invalid fields, a tombstone): can never succeed. */
  POISON: { replayable: false },
  /** A valid participation for a campaign that does not exist (yet): replayable once it does. */
  UNKNOWN_CAMPAIGN: { replayable: true },
  /** Its requestId was already decided for another user or campaign: a client bug, refused. */
  REQUEST_ID_REUSED: { replayable: false },
} as const satisfies Record<string, { replayable: boolean }>;

export type DeadLetterReason = keyof typeof DEAD_LETTER_REASONS;

// Object.keys is typed string[]; the table above is the one list, so its keys are exactly these.
export const DEAD_LETTER_REASON_CODES = Object.keys(DEAD_LETTER_REASONS) as [DeadLetterReason, ...DeadLetterReason[]];

/** Who a dead letter was for, when its payload could be read. */
export interface DeadLetterSubject {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
}

/** One log entry set aside, with where it was and why. */
export interface DeadLetterRow {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly reasonCode: DeadLetterReason;
  /** Human-readable detail. */
  readonly reason: string;
  readonly subject: DeadLetterSubject | null;
  readonly key: Buffer | null;
  readonly payload: Buffer | null;
  /** Size of the original payload; `payload` may hold only its first bytes. */
  readonly payloadBytes: number;
}

/** How much of a key or payload is kept: an entry too large to store must not stop the stream. */
export const DEAD_LETTER_LIMITS = {
  keyBytes: 256,
  storedPayloadBytes: 1024 * 1024,
  /** The copy on the dead-letter topic stays far below the broker's default 1 MiB record limit. */
  publishedPayloadBytes: 64 * 1024,
} as const;

export function deadLetterOf(
  at: { topic: string; partition: number; offset: number; key: Buffer | null; value: Buffer | null },
  reasonCode: DeadLetterReason,
  reason: string,
  subject: DeadLetterSubject | null,
): DeadLetterRow {
  return {
    topic: at.topic,
    partition: at.partition,
    offset: at.offset,
    reasonCode,
    reason,
    subject,
    key: at.key === null ? null : at.key.subarray(0, DEAD_LETTER_LIMITS.keyBytes),
    payload: at.value === null ? null : at.value.subarray(0, DEAD_LETTER_LIMITS.storedPayloadBytes),
    payloadBytes: at.value?.length ?? 0,
  };
}
