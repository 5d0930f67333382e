// After a load run: through the API only, checks that the campaign has exactly as many winners as
// first-come-first-served allows, that nobody won twice, and that every request the run saw
// accepted or answered was decided. Looks up each request the run sent (RUN_ID-0 … RUN_ID-(ISSUED-1)).
import { check, fail, sleep } from 'k6';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import { adminHeaders, body, env, num, requestIdOf, summarize, summaryTrendStats } from './lib.ts';

const issued = num('ISSUED', 0);
/** Requests the run saw answered 202 or 200: each must be found decided. */
const acknowledged = num('ACKNOWLEDGED', 0);
const drainTimeoutS = num('DRAIN_TIMEOUT_S', 120);
if (env.campaignId === 0 || env.runId === '' || !Number.isInteger(issued) || issued <= 0) throw new Error('verify needs CAMPAIGN_ID, RUN_ID and ISSUED (> 0)');

export const options = {
  scenarios: { verify: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: `${drainTimeoutS + 600}s` } },
  summaryTrendStats,
  thresholds: { checks: ['rate==1'] },
};

const found = {
  winners: new Counter('verify_winners'),
  decided: new Counter('verify_decided'),
  notRecorded: new Counter('verify_not_recorded'),
  pending: new Counter('verify_pending'),
};

interface Decision {
  status: string;
  userId?: number;
}
interface Status {
  totalStock: number;
  successCount: number;
}

/** Looks every request up; PENDING ones again until decided or the drain time is over. */
function lookUp(): Map<number, Decision | null> {
  const result = new Map<number, Decision | null>();
  let open = Array.from({ length: issued }, (_, i) => i);
  const deadline = Date.now() + drainTimeoutS * 1000;
  for (;;) {
    const stillPending: number[] = [];
    for (let i = 0; i < open.length; i += 100) {
      const chunk = open.slice(i, i + 100);
      const responses = http.batch(chunk.map((n) => ['GET', `${env.baseUrl}/api/participations/${requestIdOf(env.runId, n)}`, null, { responseCallback: http.expectedStatuses(200, 404) }]));
      responses.forEach((res, k) => {
        const n = chunk[k] as number;
        if (res.status === 404) result.set(n, null);
        else if (res.status !== 200) fail(`lookup of ${requestIdOf(env.runId, n)} answered ${res.status}`);
        else {
          const d = body<Decision>(res).data;
          if (d.status === 'PENDING') stillPending.push(n);
          else result.set(n, d);
        }
      });
    }
    if (stillPending.length === 0 || Date.now() > deadline) {
      found.pending.add(stillPending.length);
      return result;
    }
    open = stillPending;
    sleep(0.5);
  }
}

export default function verify(): void {
  const decisions = lookUp();
  const winsByUser = new Map<number, number>();
  const decidedUsers = new Set<number>();
  let decided = 0;
  for (const d of decisions.values()) {
    if (d === null) continue;
    decided += 1;
    if (d.userId !== undefined) decidedUsers.add(d.userId);
    if (d.status === 'SUCCESS' && d.userId !== undefined) winsByUser.set(d.userId, (winsByUser.get(d.userId) ?? 0) + 1);
  }
  const winners = [...winsByUser.values()].reduce((a, b) => a + b, 0);
  const res = http.get(`${env.baseUrl}/api/campaigns/${env.campaignId}/status`, { headers: adminHeaders() });
  const status = body<Status>(res).data;
  const expectedWinners = Math.min(status.totalStock, decidedUsers.size);
  found.winners.add(winners);
  found.decided.add(decided);
  found.notRecorded.add(issued - decided);

  check(null, {
    'winners == min(stock, distinct users decided)': () => winners === expectedWinners,
    'nobody won twice': () => [...winsByUser.values()].every((n) => n === 1),
    'the counters agree with the history': () => status.successCount === winners,
    'every acknowledged request was decided': () => decided >= acknowledged,
    'nothing left pending': () => decisions.size === issued,
  });
  console.log(`verify: ${issued} requests, ${decided} decided, ${winners} winners of ${status.totalStock}, ${decidedUsers.size} distinct users decided, ${acknowledged} acknowledged by the run`);
}

export const handleSummary = summarize;
