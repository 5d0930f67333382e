// Open model: requests arrive at RATE per second for DURATION whatever the latency, so slow
// answers show up in the percentiles instead of throttling the load (no coordinated omission).
import { env, participate, preAllocatedVUs, prepareCampaign, summarize, summaryTrendStats, thresholds, type RunData } from './lib.ts';

export const options = {
  scenarios: {
    open: {
      executor: 'constant-arrival-rate',
      rate: env.rate,
      timeUnit: '1s',
      duration: env.duration,
      preAllocatedVUs: preAllocatedVUs(env.rate),
      maxVUs: env.maxVus,
    },
  },
  thresholds: thresholds(),
  summaryTrendStats,
};

export const setup = (): RunData => prepareCampaign(`k6 open ${env.path} ${env.rate}/s`);
export default (data: RunData): void => participate(data);
export const handleSummary = summarize;
