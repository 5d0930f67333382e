import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyAddr from 'proxy-addr';
import { DomainError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { writeJson } from '../http/envelope.js';
import { answerError } from '../http/error-handler.js';
import type { HttpMetrics } from '../http/http-metrics.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { outcomeOfError, type IngestOutcome, type IngestOutcomes } from './ingest-metrics.js';
import type { IngestService } from './ingest-service.js';
import { ingestAnswer, INGEST_ROUTE } from './routes.js';

interface LeanRouteDeps {
  ingest: IngestService;
  /** The same limiter as the express route's, so that a client has one budget on both. */
  limiter: RateLimiter | undefined;
  bodyLimitBytes: number;
  /** Proxy hops whose X-Forwarded-For is believed, as express's `trust proxy`. */
  trustProxy: number;
  lifecycle: { readonly draining: boolean };
  metrics: HttpMetrics;
  outcomes: IngestOutcomes;
  logger: Logger;
}

interface Served {
  outcome: IngestOutcome | undefined;
}

/** The canonical form only: a trailing slash, another case or an escaped segment goes to express, which knows them all. */
const PATH = /^\/api\/campaigns\/([^/?#%]+)\/participation(?:\?|$)/;
const JSON_TYPE = /^application\/json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*(?:utf-8|"utf-8")[ \t]*)?$/i;
const DIGITS = /^[0-9]{1,9}$/;
/** Stateless (no `stream` option) and shared; like the body parser it drops a BOM and replaces invalid bytes. */
const UTF8 = new TextDecoder('utf-8');

/** Which of the JSON whitespace characters a strict body may start with before its `{` or `[`. */
function startsLikeJsonObjectOrArray(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

/**
 * POST /api/campaigns/{id}/participation without express: the spike's one route, served from the
 * raw request in a few steps. It takes only the common form of the request (a JSON body of known
 * length within the limit, no content encoding, UTF-8) and hands anything else to express before
 * reading a byte, so every unusual input gets express's answer. What it answers it answers in the
 * same order and through the same functions as the express route: draining, body, rate limit,
 * validation, the ingest service, the envelope, the error table, the metrics.
 *
 * Returns false when the request is not one it takes; the caller passes it on to express.
 */
export function leanIngestRoute(deps: LeanRouteDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { ingest, limiter, bodyLimitBytes, lifecycle, metrics, outcomes, logger } = deps;
  const hops = deps.trustProxy;
  const trust = (_address: string, i: number) => i < hops;

  // The close that counts the outcome comes after the answer's write completes, never before this returns.
  const fail = (res: ServerResponse, state: Served, err: unknown, path: string): void => {
    state.outcome = outcomeOfError(answerError(res, err, logger, path));
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, state: Served, campaignId: string, body: Buffer, path: string): Promise<void> => {
    // the body parser's reading: an empty text is {}, anything else must open with { or [ (strict)
    const text = UTF8.decode(body);
    let parsed: unknown = {};
    if (text.length > 0) {
      try {
        if (!startsLikeJsonObjectOrArray(text)) throw new SyntaxError('not an object or array');
        parsed = JSON.parse(text);
      } catch {
        fail(res, state, new DomainError('INVALID_JSON', 'the request body is not valid JSON'), path);
        return;
      }
    }
    try {
      if (limiter) {
        const refused = limiter(hops === 0 ? (req.socket.remoteAddress ?? '') : proxyAddr(req, trust), parsed, res);
        if (refused) {
          fail(res, state, refused, path);
          return;
        }
      }
      const answer = await ingestAnswer(ingest, campaignId, parsed, req.headers['idempotency-key']);
      state.outcome = answer.outcome;
      writeJson(res, answer.status, { success: true, message: answer.message, data: answer.data });
    } catch (err) {
      fail(res, state, err, path);
    }
  };

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const match = PATH.exec(url);
    if (match === null) return false;
    const headers = req.headers;
    const length = headers['content-length'];
    const type = headers['content-type'];
    const encoding = headers['content-encoding'];
    if (headers['transfer-encoding'] !== undefined || length === undefined || type === undefined || !DIGITS.test(length) || !JSON_TYPE.test(type)) return false;
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    const expected = Number(length);
    if (expected === 0 || expected > bodyLimitBytes) return false;

    const state: Served = { outcome: undefined };
    metrics.track(req, res, INGEST_ROUTE, (answered) => outcomes.count(answered && state.outcome !== undefined ? state.outcome : 'unanswered'));
    if (lifecycle.draining) res.setHeader('Connection', 'close');

    const path = url.length === match[0].length ? url : url.slice(0, url.indexOf('?'));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // a client that leaves mid-body has nobody to answer; the close above counts it
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      void serve(req, res, state, match[1] as string, body, path);
    });
    return true;
  };
}
