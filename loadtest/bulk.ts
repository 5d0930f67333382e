// participate-bulk: BULK_COUNT synthetic participations published by the API in one call, then
// the time until the consumer has decided them all (the drain), read from the campaign status.
import { check, fail, sleep } from 'k6';
import http from 'k6/http';
import { Trend } from 'k6/metrics';
import { adminHeaders, body, env, num, prepareCampaign, summarize, summaryTrendStats, type RunData } from './lib.ts';

const count = num('BULK_COUNT', 10_000);
const drainTimeoutS = num('DRAIN_TIMEOUT_S', 300);

export const options = {
  scenarios: { bulk: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: `${drainTimeoutS + 600}s` } },
  summaryTrendStats,
  thresholds: { checks: ['rate==1'], bulk_drain_ms: [`max<${drainTimeoutS * 1000}`] },
};

const publishMs = new Trend('bulk_publish_ms', true);
const drainMs = new Trend('bulk_drain_ms', true);
const decidedPerSec = new Trend('bulk_decided_per_sec');

interface BulkAnswer {
  /** Participations the broker acknowledged: in the log. */
  acknowledged: number;
}
interface Status {
  totalParticipation: number;
}

export const setup = (): RunData => prepareCampaign(`k6 bulk ${count}`);

export default function bulk(data: RunData): void {
  const before = body<Status>(http.get(`${env.baseUrl}/api/campaigns/${data.campaignId}/status`)).data.totalParticipation;
  const started = Date.now();
  const res = http.post(`${env.baseUrl}/api/admin/test/participate-bulk`, JSON.stringify({ campaignId: data.campaignId, count, startUserId: env.userBase }), {
    headers: adminHeaders(),
    timeout: `${drainTimeoutS}s`,
  });
  if (res.status !== 200) fail(`participate-bulk answered ${res.status}: ${typeof res.body === 'string' ? res.body : ''}`);
  const published = body<BulkAnswer>(res).data.acknowledged;
  publishMs.add(Date.now() - started);
  let decided = 0;
  const deadline = started + drainTimeoutS * 1000;
  while (Date.now() < deadline) {
    decided = body<Status>(http.get(`${env.baseUrl}/api/campaigns/${data.campaignId}/status`)).data.totalParticipation - before;
    if (decided >= published) break;
    sleep(0.1);
  }
  const elapsed = Date.now() - started;
  drainMs.add(elapsed);
  decidedPerSec.add((decided * 1000) / Math.max(1, elapsed));
  check(null, {
    'every participation published': () => published === count,
    'every published participation decided': () => decided === published,
  });
}

export const handleSummary = summarize;
