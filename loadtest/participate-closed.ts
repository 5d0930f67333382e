// Closed model: VUS clients, each sending its next request as soon as the last is answered;
// throughput is what the system allows, the classic "how many req/s" figure.
import { env, participate, prepareCampaign, summarize, summaryTrendStats, thresholds, type RunData } from './lib.ts';

export const options = {
  scenarios: {
    closed: { executor: 'constant-vus', vus: env.vus, duration: env.duration },
  },
  thresholds: thresholds(),
  summaryTrendStats,
};

export const setup = (): RunData => prepareCampaign(`k6 closed ${env.path} ${env.vus} VUs`);
export default (data: RunData): void => participate(data);
export const handleSummary = summarize;
