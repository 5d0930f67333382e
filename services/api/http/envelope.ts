import type { Response } from 'express';
import type { ErrorCode, FieldProblem } from './errors.js';

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

export function sendError(
  res: Response,
  status: number,
  errorCode: ErrorCode,
  message: string,
  details?: readonly FieldProblem[],
  extra?: Readonly<Record<string, unknown>>,
): void {
  const data = details || extra ? { ...extra, ...(details ? { details } : {}) } : null;
  const body: ErrorEnvelope = { success: false, message, errorCode, data };
  // for metrics that classify answers without parsing them
  (res.locals as { errorCode?: ErrorCode }).errorCode = errorCode;
  res.status(status).json(body);
}
