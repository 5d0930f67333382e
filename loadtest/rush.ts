// The 10:00:00 moment: arrivals climb to PEAK_RATE within one second, stay there for DURATION,
// against a campaign of STOCK (e.g. 10,000 req/s for 100 prizes).
import { env, participate, preAllocatedVUs, prepareCampaign, summarize, summaryTrendStats, thresholds, type RunData } from './lib.ts';

export const options = {
  scenarios: {
    rush: {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      stages: [
        { target: env.peakRate, duration: '1s' },
        { target: env.peakRate, duration: env.duration },
      ],
      preAllocatedVUs: preAllocatedVUs(env.peakRate),
      maxVUs: env.maxVus,
    },
  },
  thresholds: thresholds(),
  summaryTrendStats,
};

export const setup = (): RunData => prepareCampaign(`k6 rush ${env.path} ${env.peakRate}/s stock ${env.stock}`);
export default (data: RunData): void => participate(data);
export const handleSummary = summarize;
