import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../../platform/logger.js';
import { asDatabaseUnavailable } from '../../db/errors.js';
import { QueryCancelledError } from '../../db/heavy-query.js';
import type { ServerResponse } from 'node:http';
import { errorEnvelope, sendError, writeJson } from './envelope.js';
import { DomainError } from '../../platform/errors.js';
import { httpStatusOf, type ErrorCode } from './errors.js';

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as { type?: unknown }).type === 'string' && 'status' in err;
}

/** zlib's complaint about a body that is not what its Content-Encoding says, as the body parser passes it on. */
function isBadEncodingError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { status, code } = err as { status?: unknown; code?: unknown };
  return status === 400 && typeof code === 'string' && code.startsWith('Z_');
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 'ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path}`);
};

/**
 * The answer to an error, on either HTTP path: a domain error (a database outage becomes one) in
 * the envelope, logged when it is a 5xx and with Retry-After when retriable; anything else a
 * logged 500. Returns the code it answered with.
 */
export function answerError(res: ServerResponse, err: unknown, logger: Logger, path: string): ErrorCode {
  const domain = err instanceof DomainError ? err : asDatabaseUnavailable(err);
  if (!domain) {
    logger.error({ err, path }, 'unhandled error');
    writeJson(res, httpStatusOf('INTERNAL_ERROR'), errorEnvelope('INTERNAL_ERROR', 'internal error'));
    return 'INTERNAL_ERROR';
  }
  if (httpStatusOf(domain.code) >= 500) logger.warn({ err: domain.cause ?? domain, path }, domain.message);
  if (domain.retriable) res.setHeader('Retry-After', '1');
  writeJson(res, httpStatusOf(domain.code), errorEnvelope(domain.code, domain.message, domain.details, domain.data));
  return domain.code;
}

/** What only express meets: the body parser's and zlib's complaints, and a query cancelled because its client left. */
function answeredExpressProblem(res: Response, err: unknown): boolean {
  if (isBodyParserError(err)) {
    if (err.type === 'entity.too.large') {
      sendError(res, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
    } else if (err.type === 'entity.parse.failed') {
      sendError(res, 'INVALID_JSON', 'the request body is not valid JSON');
    } else if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') {
      sendError(res, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported body charset or encoding');
    } else {
      sendError(res, 'VALIDATION_FAILED', 'the request body could not be read');
    }
    return true;
  }
  if (err instanceof QueryCancelledError) {
    // the client went away; there is nobody to answer
    res.end();
    return true;
  }
  if (isBadEncodingError(err)) {
    sendError(res, 'INVALID_CONTENT_ENCODING', 'the request body cannot be decoded as its Content-Encoding header says');
    return true;
  }
  return false;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (!(err instanceof DomainError) && answeredExpressProblem(res, err)) return;
    // for metrics that classify answers without parsing them
    (res.locals as { errorCode?: ErrorCode }).errorCode = answerError(res, err, logger, req.path);
  };
}
