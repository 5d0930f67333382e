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

export function sendOk(res: Response, status: number, message: string, data: unknown): void {
  const body: SuccessEnvelope = { success: true, message, data };
  res.status(status).json(body);
}

/** The status is the code's, from the one table in errors.ts, so the two cannot disagree. */
export function sendError(
  res: Response,
  errorCode: ErrorCode,
  message: string,
  details?: readonly FieldProblem[],
  extra?: Readonly<Record<string, unknown>>,
): void {
  const data = details || extra ? { ...extra, ...(details ? { details } : {}) } : null;
  const body: ErrorEnvelope = { success: false, message, errorCode, data };
  // for metrics that classify answers without parsing them
  (res.locals as { errorCode?: ErrorCode }).errorCode = errorCode;
  res.status(httpStatusOf(errorCode)).json(body);
}
