/**
 * Every HTTP refusal is `{error: {code, message}}` (contract HttpErrorBody) with a status that
 * matches the code. Unexpected errors are logged with their stack and answered as `internal`,
 * without details.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { ErrorCode, HttpErrorBody } from '../../contract/wire.js';
import { DomainError } from '../domain/errors.js';
import { StorageUnavailableError } from '../store/store.js';
import type { Logger } from '../log.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_payload: 400,
  payload_too_large: 413,
  conflict: 409,
  invalid_text: 422,
  registration_closed: 403,
  rate_limited: 429,
  storage_unavailable: 503,
  internal: 500,
};

export function sendError(res: Response, code: ErrorCode, message: string): void {
  const body: HttpErrorBody = { error: { code, message } };
  res.status(STATUS_OF[code]).json(body);
}

/** Errors body-parser raises before our handlers run; they carry `type` and `status`. */
function isParserError(error: unknown): error is { type: string; status: number } {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof DomainError) {
      if (error.retryAfterSeconds !== undefined) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      sendError(res, error.code, error.message);
    } else if (error instanceof StorageUnavailableError) {
      // The caller hears "try later"; the operator needs the file and the reason (disk full...).
      log.error(`could not save a change on ${req.method} ${req.path}: ${error.message}`);
      sendError(res, 'storage_unavailable', 'The server could not save this change; try later.');
    } else if (isParserError(error) && error.type === 'entity.too.large') {
      sendError(res, 'payload_too_large', 'The request body is too large.');
    } else if (isParserError(error) && error.type === 'entity.parse.failed') {
      sendError(res, 'invalid_payload', 'The request body is not valid JSON.');
    } else if (isParserError(error) && error.status >= 400 && error.status < 500) {
      sendError(res, 'invalid_payload', 'The request body could not be read.');
    } else {
      log.error(`internal error on ${req.method} ${req.path}`, error);
      sendError(res, 'internal', 'Something went wrong on the server.');
    }
  };
}

export const notFound: RequestHandler = (req, res) =>
  sendError(res, 'not_found', `There is nothing at ${req.method} ${req.path}.`);
