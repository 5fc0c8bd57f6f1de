/**
 * Every HTTP refusal is `{error: {code, message}}` (contract HttpErrorBody) with a status that
 * matches the code; server/edge/errors.ts decides which. Unexpected errors are logged with their
 * stack and answered as `internal`, without details.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ErrorCode, HttpErrorBody } from '../../contract/wire.js';
import { classifyAndLog, STATUS_OF } from '../edge/errors.js';
import type { Logger } from '../log.js';

export function sendError(res: Response, code: ErrorCode, message: string, status?: number): void {
  const body: HttpErrorBody = { error: { code, message } };
  res.status(status ?? STATUS_OF[code]).json(body);
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    const classified = classifyAndLog(error, log, `${req.method} ${req.path}`);
    if (classified.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(classified.retryAfterSeconds));
    }
    sendError(res, classified.code, classified.message, classified.status);
  };
}

export const notFound: RequestHandler = (req, res) =>
  sendError(res, 'not_found', `There is nothing at ${req.method} ${req.path}.`);
