import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import { httpStatusOf, type ErrorCode, type FieldProblem } from './errors.js';

export interface SuccessEnvelope {
  success: true;
  message: string;
  data: unknown;
}

export interface ErrorEnvelope {
  success: false;
  message: string;
  errorCode: ErrorCode;
  data: Readonly<Record<string, unknown>> | null;
}

/**
 * Every JSON answer, on both HTTP paths (express and the lean participation route), is written
 * here, so their status lines, headers and bytes cannot drift apart.
 */
export function writeJson(res: ServerResponse, status: number, body: SuccessEnvelope | ErrorEnvelope): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

export function sendOk(res: ServerResponse, status: number, message: string, data: unknown): void {
  writeJson(res, status, { success: true, message, data });
}

export function errorEnvelope(errorCode: ErrorCode, message: string, details?: readonly FieldProblem[], extra?: Readonly<Record<string, unknown>>): ErrorEnvelope {
  const data = details || extra ? { ...extra, ...(details ? { details } : {}) } : null;
  return { success: false, message, errorCode, data };
}

/** The status is the code's, from the one table in errors.ts, so the two cannot disagree. */
export function sendError(
  res: Response,
  errorCode: ErrorCode,
  message: string,
  details?: readonly FieldProblem[],
  extra?: Readonly<Record<string, unknown>>,
): void {
  // for metrics that classify answers without parsing them
  (res.locals as { errorCode?: ErrorCode }).errorCode = errorCode;
  writeJson(res, httpStatusOf(errorCode), errorEnvelope(errorCode, message, details, extra));
}
