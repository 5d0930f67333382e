/** The parts of the API's answers the console reads (see /openapi.json for the whole contract). */

export interface Campaign {
  id: number;
  name: string;
  totalStock: number;
  currentStock: number;
  status: 'SCHEDULED' | 'OPEN' | 'SOLD_OUT' | 'ENDED';
  startsAt: string | null;
  endsAt: string | null;
  createdAt: string;
}

export interface CampaignStatus {
  campaignId: number;
  campaignName: string;
  totalStock: number;
  currentStock: number;
  successCount: number;
  soldOutCount: number;
  duplicateCount: number;
  totalParticipation: number;
  pending: number;
}

export interface Lookup {
  requestId?: string | null;
  campaignId?: number;
  userId?: number;
  status: string;
  reasonCode?: string;
  reason?: string;
  sequence?: number;
  acceptedAt?: string;
  decidedAt?: string;
  refusedAt?: string;
  attempts?: number;
}

export interface DayStats {
  campaignId: number;
  campaignName: string;
  date: string;
  totalParticipations: number;
  successCount: number;
  soldOutCount: number;
  duplicateCount: number;
  uniqueUsers: number;
  successRate: string;
}

export interface DailyAnswer {
  date: string;
  timeZone: string;
  method: string;
  queryTimeMs: number;
  stats: DayStats[];
}

export interface SeriesAnswer {
  campaignId: number;
  startDate: string;
  endDate: string;
  queryTimeMs: number;
  days: DayStats[];
}

export interface Execution {
  executionId: number;
  date: string;
  status: 'STARTED' | 'COMPLETED' | 'PARTIAL' | 'FAILED';
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  error: string | null;
  campaigns?: { total: number; completed: number; failed: number };
}

export interface DeadLetter {
  id: number;
  reasonCode: string;
  reason: string;
  replayable: boolean;
  request: { requestId: string; campaignId: number; userId: number } | null;
  original: { topic: string; partition: number; offset: number };
  createdAt: string;
  replayedAt: string | null;
}
