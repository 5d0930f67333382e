/**
 * One checker for everything a run leaves behind: the whole participation log, the database and
 * every answer the clients got. Pure (no I/O): the readers in history.ts collect the inputs.
 *
 * The first-come-first-served model here is written from the rule as documented (README, "How
 * it stays correct under a rush"), deliberately without services/core, so that comparing the
 * history with it tests the decider instead of repeating it.
 */

export type Verdict = 'SUCCESS' | 'SOLD_OUT' | 'DUPLICATE';
export type Refusal = 'SOLD_OUT' | 'DUPLICATE';
export type DeadLetterReason = 'POISON' | 'UNKNOWN_CAMPAIGN' | 'REQUEST_ID_REUSED';

/** One entry of the participation log, as read back from the broker. */
export type LogEntry =
  | { readonly offset: number; readonly kind: 'participation'; readonly requestId: string; readonly campaignId: number; readonly userId: number; readonly answered?: Refusal }
  | { readonly offset: number; readonly kind: 'poison' };

export interface CampaignRow {
  readonly id: number;
  readonly totalStock: number;
  readonly currentStock: number;
  readonly successCount: number;
  readonly soldOutCount: number;
  readonly duplicateCount: number;
  readonly logResolvedCount: number;
}

export interface DecisionRow {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  readonly status: Verdict;
  readonly source: 'KAFKA' | 'SYNC';
  /** The log position; null for the sync path. */
  readonly offset: number | null;
}

export interface AnswerRow {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  readonly status: Refusal;
}

export interface DeadLetterRow {
  readonly offset: number;
  readonly reasonCode: string;
  readonly requestId: string | null;
  readonly published: boolean;
}

/** A copy on the dead-letter topic, by the original position its headers name. */
export interface DeadLetterCopy {
  readonly offset: number;
  readonly reasonCode: string;
}

/** What one HTTP attempt was told, reduced to what it promises. */
export type Answer =
  /** 202: in the log at `sequence`, to be decided. */
  | { readonly kind: 'accepted'; readonly sequence: number }
  /** 200 on the Kafka path: the sold-out short circuit, written to the log first. */
  | { readonly kind: 'short-circuit'; readonly status: Refusal }
  /** 200 on the sync path: the decision itself. */
  | { readonly kind: 'decided'; readonly status: Verdict }
  /** A 503 that said nothing was recorded (mayHaveBeenRecorded false, or DATABASE_UNAVAILABLE on the Kafka path). */
  | { readonly kind: 'not-recorded' }
  /** No promise either way: a 503 that may have been recorded, a timeout, a connection cut. */
  | { readonly kind: 'unknown'; readonly why: string }
  /** Anything else, which no fault excuses. */
  | { readonly kind: 'unexpected'; readonly why: string };

export interface Attempt {
  readonly path: 'kafka' | 'sync';
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  readonly answer: Answer;
}

/** GET /api/participations/{requestId} after everything settled. */
export interface Lookup {
  readonly requestId: string;
  /** A verdict, NOT_FOUND for a 404, or whatever else it said (PENDING, an error code). */
  readonly status: string;
}

export interface History {
  readonly log: readonly LogEntry[];
  /** The offset the consumer stored: everything below it is decided. */
  readonly nextOffset: number;
  readonly campaigns: readonly CampaignRow[];
  readonly decisions: readonly DecisionRow[];
  readonly answers: readonly AnswerRow[];
  readonly deadLetters: readonly DeadLetterRow[];
  readonly deadLetterCopies: readonly DeadLetterCopy[];
  readonly attempts: readonly Attempt[];
  readonly lookups: readonly Lookup[];
}

/** What the log must have become, entry by entry. */
export interface Replay {
  readonly decisions: ReadonlyMap<number, { requestId: string; campaignId: number; userId: number; status: Verdict }>;
  readonly answers: ReadonlyMap<string, { offset: number; campaignId: number; userId: number; status: Refusal }>;
  readonly deadLetters: ReadonlyMap<number, DeadLetterReason>;
  /** Offset of the decision that took a campaign's last unit of stock. */
  readonly soldOutAt: ReadonlyMap<number, number>;
  readonly winners: ReadonlyMap<number, ReadonlySet<number>>;
  /** Log entries per campaign that were not set aside: decided, answered or a retry's copy. */
  readonly resolved: ReadonlyMap<number, number>;
}

/**
 * First come, first served, in log order: a request id seen before is the same request again
 * (nothing new) or, for another user or campaign, refused; an answer already given is recorded
 * as given; otherwise a user who won is a DUPLICATE, and anyone else wins while stock lasts.
 * Stock comes from `totalStock`, so the campaigns must take requests through the log only.
 */
export function replayLog(log: readonly LogEntry[], campaigns: ReadonlyMap<number, number>): Replay {
  const left = new Map(campaigns);
  const owners = new Map<string, string>();
  const decisions = new Map<number, { requestId: string; campaignId: number; userId: number; status: Verdict }>();
  const answers = new Map<string, { offset: number; campaignId: number; userId: number; status: Refusal }>();
  const deadLetters = new Map<number, DeadLetterReason>();
  const soldOutAt = new Map<number, number>();
  const winners = new Map<number, Set<number>>();
  const resolved = new Map<number, number>();

  for (const entry of [...log].sort((a, b) => a.offset - b.offset)) {
    if (entry.kind === 'poison') {
      deadLetters.set(entry.offset, 'POISON');
      continue;
    }
    const stock = left.get(entry.campaignId);
    if (stock === undefined) {
      deadLetters.set(entry.offset, 'UNKNOWN_CAMPAIGN');
      continue;
    }
    resolved.set(entry.campaignId, (resolved.get(entry.campaignId) ?? 0) + 1);
    const owner = `${entry.campaignId}/${entry.userId}`;
    const earlier = owners.get(entry.requestId);
    if (earlier !== undefined) {
      if (earlier !== owner) deadLetters.set(entry.offset, 'REQUEST_ID_REUSED');
      continue;
    }
    owners.set(entry.requestId, owner);
    if (entry.answered !== undefined) {
      answers.set(entry.requestId, { offset: entry.offset, campaignId: entry.campaignId, userId: entry.userId, status: entry.answered });
      continue;
    }
    let won = winners.get(entry.campaignId);
    if (won === undefined) winners.set(entry.campaignId, (won = new Set()));
    let status: Verdict;
    if (won.has(entry.userId)) status = 'DUPLICATE';
    else if (stock === 0) status = 'SOLD_OUT';
    else {
      status = 'SUCCESS';
      won.add(entry.userId);
      left.set(entry.campaignId, stock - 1);
      if (stock === 1) soldOutAt.set(entry.campaignId, entry.offset);
    }
    decisions.set(entry.offset, { requestId: entry.requestId, campaignId: entry.campaignId, userId: entry.userId, status });
  }
  return { decisions, answers, deadLetters, soldOutAt, winners, resolved };
}

export interface CheckResult {
  /** Every broken promise, one line each; empty when the history is right. */
  readonly violations: string[];
  readonly replay: Replay;
}

const countBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/**
 * Every invariant at once. Campaigns with a decision in the log are replayed; campaigns decided
 * only by the sync path are checked against the rule's consequences (their order is the
 * database's, which no log records).
 */
export function checkHistory(h: History): CheckResult {
  const violations: string[] = [];
  const fail = (what: string) => violations.push(what);
  const logCampaigns = new Set(h.log.flatMap((e) => (e.kind === 'participation' ? [e.campaignId] : [])));
  const replay = replayLog(h.log, new Map(h.campaigns.filter((c) => logCampaigns.has(c.id)).map((c) => [c.id, c.totalStock])));
  const logEnd = h.log.reduce((end, e) => Math.max(end, e.offset + 1), 0);

  // The log itself: read whole, and wholly decided.
  const offsets = new Set(h.log.map((e) => e.offset));
  if (offsets.size !== h.log.length) fail(`the log was read with repeated offsets (${h.log.length} entries, ${offsets.size} offsets)`);
  for (let o = 0; o < logEnd; o++) if (!offsets.has(o)) fail(`log offset ${o} missing from the read`);
  if (h.nextOffset !== logEnd) fail(`the stored offset is ${h.nextOffset}, the log ends at ${logEnd}`);

  // Decisions: exactly the replay's, where the replay says.
  for (const [requestId, n] of countBy(h.decisions, (d) => d.requestId)) if (n > 1) fail(`request ${requestId} decided ${n} times`);
  const byOffset = new Map<number, DecisionRow>();
  for (const d of h.decisions) {
    if (d.source !== 'KAFKA') continue;
    if (d.offset === null) {
      fail(`request ${d.requestId} decided from the log without a position`);
      continue;
    }
    if (byOffset.has(d.offset)) fail(`log offset ${d.offset} decided twice`);
    byOffset.set(d.offset, d);
    if (!replay.decisions.has(d.offset)) fail(`request ${d.requestId} decided at offset ${d.offset}, where the replay decides nothing`);
  }
  for (const [offset, want] of replay.decisions) {
    const got = byOffset.get(offset);
    if (got === undefined) fail(`log offset ${offset} (request ${want.requestId}) never decided`);
    else if (got.requestId !== want.requestId || got.campaignId !== want.campaignId || got.userId !== want.userId) {
      fail(`log offset ${offset} decided as ${got.requestId} (campaign ${got.campaignId}, user ${got.userId}), the log holds ${want.requestId} (campaign ${want.campaignId}, user ${want.userId})`);
    } else if (got.status !== want.status) fail(`request ${want.requestId} at offset ${offset} is ${got.status}, the replay says ${want.status}`);
  }

  // Answers given before the decision: recorded once, as given.
  const answersById = new Map(h.answers.map((a) => [a.requestId, a]));
  for (const [requestId, want] of replay.answers) {
    const got = answersById.get(requestId);
    if (got === undefined) fail(`short-circuit answer ${requestId} at offset ${want.offset} not recorded`);
    else if (got.status !== want.status || got.campaignId !== want.campaignId || got.userId !== want.userId) fail(`short-circuit answer ${requestId} recorded as ${got.status}, the log says ${want.status}`);
  }
  for (const a of h.answers) if (!replay.answers.has(a.requestId)) fail(`short-circuit answer ${a.requestId} recorded, but no first entry of it in the log`);

  // Dead letters: exactly the entries that cannot be decided, each copied to the dead-letter topic.
  const lettersByOffset = new Map(h.deadLetters.map((d) => [d.offset, d]));
  for (const [offset, reason] of replay.deadLetters) {
    const got = lettersByOffset.get(offset);
    if (got === undefined) fail(`log offset ${offset} should be a dead letter (${reason}), none recorded`);
    else if (got.reasonCode !== reason) fail(`dead letter at offset ${offset} is ${got.reasonCode}, the replay says ${reason}`);
  }
  for (const d of h.deadLetters) if (!replay.deadLetters.has(d.offset)) fail(`dead letter at offset ${d.offset} (${d.reasonCode}) where the replay sets nothing aside`);
  const copies = new Map(h.deadLetterCopies.map((c) => [c.offset, c]));
  for (const d of h.deadLetters) {
    if (!d.published) fail(`dead letter at offset ${d.offset} not marked as copied`);
    const copy = copies.get(d.offset);
    if (copy === undefined) fail(`dead letter at offset ${d.offset} missing from the dead-letter topic`);
    else if (copy.reasonCode !== d.reasonCode) fail(`dead-letter copy of offset ${d.offset} says ${copy.reasonCode}, the table ${d.reasonCode}`);
  }
  for (const c of h.deadLetterCopies) if (!lettersByOffset.has(c.offset)) fail(`dead-letter topic holds offset ${c.offset}, which the table does not`);

  // Campaigns: no oversell, one win per user, counters equal to the history, sync order first-come-first-served.
  const decisionsOf = new Map<number, DecisionRow[]>();
  for (const d of h.decisions) {
    let list = decisionsOf.get(d.campaignId);
    if (list === undefined) decisionsOf.set(d.campaignId, (list = []));
    list.push(d);
  }
  for (const c of h.campaigns) {
    const rows = decisionsOf.get(c.id) ?? [];
    const count = (s: Verdict) => rows.filter((r) => r.status === s).length;
    const wins = rows.filter((r) => r.status === 'SUCCESS');
    const winners = new Set(wins.map((r) => r.userId));
    if (wins.length > c.totalStock) fail(`campaign ${c.id} oversold: ${wins.length} wins for stock ${c.totalStock}`);
    if (winners.size !== wins.length) fail(`campaign ${c.id}: ${wins.length} wins by ${winners.size} users`);
    const counters: [string, number, number][] = [
      ['success_count', c.successCount, count('SUCCESS')],
      ['sold_out_count', c.soldOutCount, count('SOLD_OUT')],
      ['duplicate_count', c.duplicateCount, count('DUPLICATE')],
      ['current_stock', c.currentStock, c.totalStock - count('SUCCESS')],
      ['log_resolved_count', c.logResolvedCount, replay.resolved.get(c.id) ?? 0],
    ];
    for (const [name, got, want] of counters) if (got !== want) fail(`campaign ${c.id} ${name} is ${got}, the history says ${want}`);
    const sync = rows.filter((r) => r.source === 'SYNC');
    if (sync.length > 0 && logCampaigns.has(c.id)) fail(`campaign ${c.id} decided by both paths: its order cannot be replayed`);
    if (sync.length > 0) {
      const users = new Set(sync.map((r) => r.userId));
      const wantWins = Math.min(c.totalStock, users.size);
      if (wins.length !== wantWins) fail(`campaign ${c.id} (sync): ${wins.length} wins, first-come-first-served gives ${wantWins} (${users.size} users, stock ${c.totalStock})`);
      for (const r of sync) if (r.status === 'DUPLICATE' && !winners.has(r.userId)) fail(`campaign ${c.id} (sync): ${r.requestId} is DUPLICATE for user ${r.userId}, who never won`);
    }
  }

  // Every answer a client got is true.
  const decisionById = new Map(h.decisions.map((d) => [d.requestId, d]));
  const letterIds = new Set(h.deadLetters.flatMap((d) => (d.requestId === null ? [] : [d.requestId])));
  const logById = new Map<string, (LogEntry & { kind: 'participation' })[]>();
  const logAt = new Map<number, LogEntry>();
  for (const e of h.log) {
    logAt.set(e.offset, e);
    if (e.kind !== 'participation') continue;
    let list = logById.get(e.requestId);
    if (list === undefined) logById.set(e.requestId, (list = []));
    list.push(e);
  }
  for (const a of h.attempts) {
    const answer = a.answer;
    const subject = `${a.path} ${a.requestId} (campaign ${a.campaignId}, user ${a.userId})`;
    if (answer.kind === 'unexpected') fail(`${subject} was answered ${answer.why}`);
    else if (answer.kind === 'accepted') {
      const at = logAt.get(answer.sequence);
      if (at?.kind !== 'participation' || at.requestId !== a.requestId || at.answered !== undefined) fail(`${subject}: 202 at offset ${answer.sequence}, where the log holds something else`);
      // an earlier copy answered at once (its own answer lost on the way) is what the 202 became
      if (!decisionById.has(a.requestId) && !answersById.has(a.requestId) && !letterIds.has(a.requestId)) fail(`${subject}: 202, then neither decided, answered nor refused`);
    } else if (answer.kind === 'short-circuit') {
      const entries = logById.get(a.requestId) ?? [];
      const entry = entries.find((e) => e.answered === answer.status);
      if (entry === undefined) fail(`${subject}: answered ${answer.status} at once, which the log does not hold`);
      else {
        const soldOut = replay.soldOutAt.get(a.campaignId);
        if (soldOut === undefined || soldOut > entry.offset) fail(`${subject}: answered ${answer.status} at offset ${entry.offset}, before the campaign sold out (${soldOut ?? 'never'})`);
        const want = replay.winners.get(a.campaignId)?.has(a.userId) ? 'DUPLICATE' : 'SOLD_OUT';
        if (answer.status !== want) fail(`${subject}: answered ${answer.status} at once, the rule says ${want}`);
      }
    } else if (answer.kind === 'decided') {
      const row = decisionById.get(a.requestId);
      if (row === undefined) fail(`${subject}: told ${answer.status}, no such decision recorded`);
      else if (row.status !== answer.status || row.campaignId !== a.campaignId || row.userId !== a.userId) fail(`${subject}: told ${answer.status}, the history says ${row.status} (campaign ${row.campaignId}, user ${row.userId})`);
    }
  }
  // A copy in the log needs an attempt that may have put it there; an acknowledged attempt needs its copy.
  const attemptsById = new Map<string, Attempt[]>();
  for (const a of h.attempts) {
    if (a.path !== 'kafka') continue;
    let list = attemptsById.get(a.requestId);
    if (list === undefined) attemptsById.set(a.requestId, (list = []));
    list.push(a);
  }
  for (const [requestId, attempts] of attemptsById) {
    const inLog = logById.get(requestId)?.length ?? 0;
    const mayHave = attempts.filter((a) => a.answer.kind !== 'not-recorded').length;
    const acknowledged = attempts.filter((a) => a.answer.kind === 'accepted' || a.answer.kind === 'short-circuit').length;
    if (inLog > mayHave) fail(`request ${requestId}: ${inLog} copies in the log, but only ${mayHave} of ${attempts.length} attempts may have been recorded`);
    if (inLog < acknowledged) fail(`request ${requestId}: ${acknowledged} attempts acknowledged, ${inLog} copies in the log`);
  }

  // What a lookup says after everything settled is what the history says.
  for (const l of h.lookups) {
    const want = decisionById.get(l.requestId)?.status ?? answersById.get(l.requestId)?.status ?? 'NOT_FOUND';
    if (l.status !== want) fail(`lookup of ${l.requestId} says ${l.status}, the history says ${want}`);
  }
  return { violations, replay };
}
