import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHistory, replayLog, type Attempt, type CampaignRow, type History, type LogEntry } from './history-check.js';

const p = (offset: number, requestId: string, userId: number, campaignId = 1, answered?: 'SOLD_OUT' | 'DUPLICATE'): LogEntry =>
  answered === undefined ? { offset, kind: 'participation', requestId, campaignId, userId } : { offset, kind: 'participation', requestId, campaignId, userId, answered };

describe('replayLog', () => {
  it('gives stock to the first distinct users in log order, DUPLICATE to a winner asking again, SOLD_OUT to the rest', () => {
    const r = replayLog([p(0, 'a', 1), p(1, 'b', 1), p(2, 'c', 2), p(3, 'd', 3), p(4, 'e', 2)], new Map([[1, 2]]));
    assert.deepEqual([...r.decisions.values()].map((d) => d.status), ['SUCCESS', 'DUPLICATE', 'SUCCESS', 'SOLD_OUT', 'DUPLICATE']);
    assert.equal(r.soldOutAt.get(1), 2);
    assert.deepEqual([...(r.winners.get(1) ?? [])], [1, 2]);
  });

  it('orders by offset, whatever order the entries were read in', () => {
    const r = replayLog([p(1, 'b', 2), p(0, 'a', 1)], new Map([[1, 1]]));
    assert.equal(r.decisions.get(0)?.status, 'SUCCESS');
    assert.equal(r.decisions.get(1)?.status, 'SOLD_OUT');
  });

  it('decides a retry once, refuses an id reused by another user, sets poison and unknown campaigns aside', () => {
    const r = replayLog([p(0, 'a', 1), p(1, 'a', 1), p(2, 'a', 2), { offset: 3, kind: 'poison' }, p(4, 'x', 1, 9)], new Map([[1, 5]]));
    assert.deepEqual([...r.decisions.keys()], [0]);
    assert.deepEqual([...r.deadLetters], [[2, 'REQUEST_ID_REUSED'], [3, 'POISON'], [4, 'UNKNOWN_CAMPAIGN']]);
    assert.equal(r.resolved.get(1), 3, 'the retry copy and the refusal are taken off the log too');
  });

  it('records an answer given before the decision without taking stock, and never decides its id afterwards', () => {
    const r = replayLog([p(0, 'a', 1, 1, 'SOLD_OUT'), p(1, 'a', 1), p(2, 'b', 2)], new Map([[1, 1]]));
    assert.equal(r.answers.get('a')?.status, 'SOLD_OUT');
    assert.deepEqual([...r.decisions.values()].map((d) => [d.requestId, d.status]), [['b', 'SUCCESS']]);
  });
});

/** A small run that kept every promise: stock 1, two users, a retry, a short-circuit, a poison record. */
function goodHistory(): History {
  const campaign: CampaignRow = { id: 1, totalStock: 1, currentStock: 0, successCount: 1, soldOutCount: 1, duplicateCount: 0, logResolvedCount: 4 };
  const sync: CampaignRow = { id: 2, totalStock: 1, currentStock: 0, successCount: 1, soldOutCount: 1, duplicateCount: 1, logResolvedCount: 0 };
  const attempts: Attempt[] = [
    { path: 'kafka', requestId: 'a', campaignId: 1, userId: 1, answer: { kind: 'accepted', sequence: 0 } },
    { path: 'kafka', requestId: 'b', campaignId: 1, userId: 2, answer: { kind: 'unknown', why: 'timeout' } },
    { path: 'kafka', requestId: 'b', campaignId: 1, userId: 2, answer: { kind: 'accepted', sequence: 2 } },
    { path: 'kafka', requestId: 'c', campaignId: 1, userId: 1, answer: { kind: 'short-circuit', status: 'DUPLICATE' } },
    { path: 'kafka', requestId: 'n', campaignId: 1, userId: 3, answer: { kind: 'not-recorded' } },
    { path: 'sync', requestId: 's1', campaignId: 2, userId: 5, answer: { kind: 'decided', status: 'SUCCESS' } },
    { path: 'sync', requestId: 's2', campaignId: 2, userId: 6, answer: { kind: 'unknown', why: '503' } },
    { path: 'sync', requestId: 's2', campaignId: 2, userId: 6, answer: { kind: 'decided', status: 'SOLD_OUT' } },
    { path: 'sync', requestId: 's3', campaignId: 2, userId: 5, answer: { kind: 'decided', status: 'DUPLICATE' } },
  ];
  return {
    log: [p(0, 'a', 1), p(1, 'b', 2), p(2, 'b', 2), { offset: 3, kind: 'poison' }, p(4, 'c', 1, 1, 'DUPLICATE')],
    nextOffset: 5,
    campaigns: [campaign, sync],
    decisions: [
      { requestId: 'a', campaignId: 1, userId: 1, status: 'SUCCESS', source: 'KAFKA', offset: 0 },
      { requestId: 'b', campaignId: 1, userId: 2, status: 'SOLD_OUT', source: 'KAFKA', offset: 1 },
      { requestId: 's1', campaignId: 2, userId: 5, status: 'SUCCESS', source: 'SYNC', offset: null },
      { requestId: 's2', campaignId: 2, userId: 6, status: 'SOLD_OUT', source: 'SYNC', offset: null },
      { requestId: 's3', campaignId: 2, userId: 5, status: 'DUPLICATE', source: 'SYNC', offset: null },
    ],
    answers: [{ requestId: 'c', campaignId: 1, userId: 1, status: 'DUPLICATE' }],
    deadLetters: [{ offset: 3, reasonCode: 'POISON', requestId: null, published: true }],
    deadLetterCopies: [{ offset: 3, reasonCode: 'POISON' }],
    attempts,
    lookups: [
      { requestId: 'b', status: 'SOLD_OUT' },
      { requestId: 'c', status: 'DUPLICATE' },
      { requestId: 'n', status: 'NOT_FOUND' },
    ],
  };
}

const violationsOf = (h: History) => checkHistory(h).violations;

describe('checkHistory', () => {
  it('finds nothing wrong with a history that kept every promise', () => {
    assert.deepEqual(violationsOf(goodHistory()), []);
  });

  it('finds an accepted request that was never decided', () => {
    const h = goodHistory();
    const v = violationsOf({ ...h, decisions: h.decisions.filter((d) => d.requestId !== 'a') });
    assert.ok(v.some((x) => /offset 0 \(request a\) never decided/.test(x)), v.join('\n'));
    assert.ok(v.some((x) => /a \(campaign 1, user 1\): 202, then neither decided, answered nor refused/.test(x)), v.join('\n'));
  });

  it('takes a 202 whose earlier copy was answered at once as answered', () => {
    const h = goodHistory();
    const v = violationsOf({
      ...h,
      log: [...h.log, p(5, 'd', 4, 1, 'SOLD_OUT'), p(6, 'd', 4)],
      nextOffset: 7,
      campaigns: h.campaigns.map((c) => (c.id === 1 ? { ...c, logResolvedCount: 6 } : c)),
      answers: [...h.answers, { requestId: 'd', campaignId: 1, userId: 4, status: 'SOLD_OUT' }],
      attempts: [
        ...h.attempts,
        { path: 'kafka', requestId: 'd', campaignId: 1, userId: 4, answer: { kind: 'unknown', why: 'timeout' } },
        { path: 'kafka', requestId: 'd', campaignId: 1, userId: 4, answer: { kind: 'accepted', sequence: 6 } },
      ],
      lookups: [{ requestId: 'd', status: 'SOLD_OUT' }],
    });
    assert.deepEqual(v, []);
  });

  it('finds a request decided twice, and a retry copy decided as a request of its own', () => {
    const h = goodHistory();
    const v = violationsOf({ ...h, decisions: [...h.decisions, { requestId: 'b', campaignId: 1, userId: 2, status: 'SOLD_OUT', source: 'KAFKA', offset: 2 }] });
    assert.ok(v.some((x) => x === 'request b decided 2 times'), v.join('\n'));
    assert.ok(v.some((x) => /offset 2, where the replay decides nothing/.test(x)), v.join('\n'));
  });

  it('finds a verdict other than the replay’s, and an oversell with its counters', () => {
    const h = goodHistory();
    const decisions = h.decisions.map((d) => (d.requestId === 'b' ? { ...d, status: 'SUCCESS' as const } : d));
    const v = violationsOf({ ...h, decisions });
    assert.ok(v.some((x) => /request b at offset 1 is SUCCESS, the replay says SOLD_OUT/.test(x)), v.join('\n'));
    assert.ok(v.some((x) => /campaign 1 oversold: 2 wins for stock 1/.test(x)), v.join('\n'));
    assert.ok(v.some((x) => /campaign 1 success_count is 1, the history says 2/.test(x)), v.join('\n'));
  });

  it('finds a second win for one user', () => {
    const h = goodHistory();
    const campaigns = h.campaigns.map((c) => (c.id === 2 ? { ...c, totalStock: 2, successCount: 2, duplicateCount: 0 } : c));
    const decisions = h.decisions.map((d) => (d.requestId === 's3' ? { ...d, status: 'SUCCESS' as const } : d));
    const v = violationsOf({ ...h, campaigns, decisions });
    assert.ok(v.some((x) => x === 'campaign 2: 2 wins by 1 users'), v.join('\n'));
  });

  it('finds a "not recorded" answer whose request is in the log', () => {
    const h = goodHistory();
    const v = violationsOf({
      ...h,
      log: [...h.log, p(5, 'n', 3)],
      nextOffset: 6,
      decisions: [...h.decisions, { requestId: 'n', campaignId: 1, userId: 3, status: 'SOLD_OUT', source: 'KAFKA', offset: 5 }],
      campaigns: h.campaigns.map((c) => (c.id === 1 ? { ...c, soldOutCount: 2, logResolvedCount: 5 } : c)),
      lookups: [],
    });
    assert.deepEqual(v, ['request n: 1 copies in the log, but only 0 of 1 attempts may have been recorded']);
  });

  it('finds a short-circuit answer the rule would not give, or given before the sell-out', () => {
    const h = goodHistory();
    const attempts = h.attempts.map((a) => (a.requestId === 'c' ? { ...a, answer: { kind: 'short-circuit' as const, status: 'SOLD_OUT' as const } } : a));
    const log = h.log.map((e) => (e.kind === 'participation' && e.requestId === 'c' ? p(4, 'c', 1, 1, 'SOLD_OUT') : e));
    const answers = h.answers.map((a) => ({ ...a, status: 'SOLD_OUT' as const }));
    const v = violationsOf({ ...h, attempts, log, answers, lookups: [] });
    assert.deepEqual(v, ['kafka c (campaign 1, user 1): answered SOLD_OUT at once, the rule says DUPLICATE']);

    const early = violationsOf({ ...h, log: [p(0, 'c', 1, 1, 'DUPLICATE'), ...h.log.filter((e) => e.offset !== 4).map((e) => ({ ...e, offset: e.offset + 1 }))] });
    assert.ok(early.some((x) => /answered DUPLICATE at offset 0, before the campaign sold out/.test(x)), early.join('\n'));
  });

  it('finds a sync answer other than the history, and a sync campaign that refused while stock was left', () => {
    const h = goodHistory();
    const attempts = h.attempts.map((a) => (a.requestId === 's2' && a.answer.kind === 'decided' ? { ...a, answer: { kind: 'decided' as const, status: 'SUCCESS' as const } } : a));
    assert.ok(violationsOf({ ...h, attempts }).some((x) => /sync s2 .* told SUCCESS, the history says SOLD_OUT/.test(x)));
    const campaigns = h.campaigns.map((c) => (c.id === 2 ? { ...c, totalStock: 2, currentStock: 1 } : c));
    assert.ok(violationsOf({ ...h, campaigns }).some((x) => /campaign 2 \(sync\): 1 wins, first-come-first-served gives 2/.test(x)));
  });

  it('finds a dead letter missing from its topic or never set aside, and a log not wholly decided', () => {
    const h = goodHistory();
    assert.deepEqual(violationsOf({ ...h, deadLetterCopies: [] }), ['dead letter at offset 3 missing from the dead-letter topic']);
    const v = violationsOf({ ...h, deadLetters: [], deadLetterCopies: [] });
    assert.deepEqual(v, ['log offset 3 should be a dead letter (POISON), none recorded']);
    assert.deepEqual(violationsOf({ ...h, nextOffset: 4 }), ['the stored offset is 4, the log ends at 5']);
  });

  it('finds a lookup that disagrees with the history', () => {
    const h = goodHistory();
    assert.deepEqual(violationsOf({ ...h, lookups: [{ requestId: 'b', status: 'PENDING' }] }), ['lookup of b says PENDING, the history says SOLD_OUT']);
  });
});
