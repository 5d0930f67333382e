import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../../platform/metrics.js';
import type { ErrorCode } from '../http/errors.js';

const INGEST_OUTCOMES = [
  'accepted',
  'short_circuit_sold_out',
  'short_circuit_duplicate',
  'rejected_invalid',
  'campaign_not_found',
  'outside_window',
  'rate_limited',
  'unavailable_broker',
  'unavailable_database',
  'error',
  /** The client left (or was cut off) before the answer was out; the request may still have been accepted. */
  'unanswered',
] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

/** Set by the route when its answer is a success, so the counter need not read the body. */
export function setIngestOutcome(res: Response, outcome: IngestOutcome): void {
  (res.locals as { ingestOutcome?: IngestOutcome }).ingestOutcome = outcome;
}

const BY_ERROR: Partial<Record<ErrorCode, IngestOutcome>> = {
  VALIDATION_FAILED: 'rejected_invalid',
  INVALID_JSON: 'rejected_invalid',
  PAYLOAD_TOO_LARGE: 'rejected_invalid',
  UNSUPPORTED_MEDIA_TYPE: 'rejected_invalid',
  CAMPAIGN_NOT_FOUND: 'campaign_not_found',
  CAMPAIGN_NOT_STARTED: 'outside_window',
  CAMPAIGN_ENDED: 'outside_window',
  BROKER_UNAVAILABLE: 'unavailable_broker',
  DATABASE_UNAVAILABLE: 'unavailable_database',
  RATE_LIMITED: 'rate_limited',
};

/** The outcome of an error answer. */
export function outcomeOfError(code: ErrorCode | undefined): IngestOutcome {
  return (code && BY_ERROR[code]) ?? 'error';
}

function outcomeOf(res: Response): IngestOutcome {
  const locals = res.locals as { ingestOutcome?: IngestOutcome; errorCode?: ErrorCode };
  return locals.ingestOutcome ?? outcomeOfError(locals.errorCode);
}

export interface IngestOutcomes {
  /**
   * Mounted on the endpoint's path ahead of the body parser, so that answers given before the route
   * is reached (unreadable body, wrong media type) are counted too.
   */
  readonly scope: RequestHandler;
  /** For the HTTP metrics' close handler: one listener per request is enough for both. */
  readonly onClose: (res: Response, answered: boolean) => void;
  /** For the lean route, which knows its outcome itself. */
  readonly count: (outcome: IngestOutcome) => void;
}

/** Counts every answer of the Kafka-path participation endpoint (`route`, its template) by what it told the client. */
export function ingestOutcomes(registry: Registry, route: string): IngestOutcomes {
  const counter = new Counter({
    name: `${METRIC_PREFIX}api_ingest_outcomes_total`,
    help: 'Answers of POST /participation by outcome (accepted, short-circuit, refused, 503 by cause)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of INGEST_OUTCOMES) counter.inc({ outcome }, 0);
  return {
    scope: (req: Request, res: Response, next: NextFunction) => {
      if (req.method === 'POST') {
        const locals = res.locals as { ingestCounted?: boolean; route?: string };
        locals.ingestCounted = true;
        // labelled with the route even when refused before reaching it (body, media type), as the lean route does
        locals.route = route;
      }
      next();
    },
    onClose: (res, answered) => {
      if ((res.locals as { ingestCounted?: boolean }).ingestCounted) counter.inc({ outcome: answered ? outcomeOf(res) : 'unanswered' });
    },
    count: (outcome) => counter.inc({ outcome }),
  };
}
