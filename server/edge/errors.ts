/**
 * The one classifier of errors for every edge (HTTP API, sockets, blog pages): what the client is
 * told (a contract code, its HTTP status and a message) and what the operator is told (nothing, the
 * store's one-line reason, or the stack of a bug). Each edge only translates the result into its
 * own form: a JSON body, an ack or connect_error, a page.
 */
import type { ErrorCode, WireError } from '../../contract/wire.js';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import { StorageUnavailableError } from '../store/store.js';

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
  server_busy: 503,
  storage_unavailable: 503,
  internal: 500,
};

export interface ClassifiedError extends WireError {
  status: number;
  /** Set for rate_limited: when the caller may try again. */
  retryAfterSeconds?: number;
  /**
   * What the operator needs: nothing (the client's own mistake), the error's one-line reason (the
   * store says which file and why: disk full...), or the whole stack (a bug).
   */
  log: 'none' | 'reason' | 'stack';
}

/** Libraries (body-parser, the router's path decoding, serve-static) mark refusals with `status`. */
function clientStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = 'status' in error ? error.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function libraryRefusal(error: object, status: number): ClassifiedError {
  const type = 'type' in error ? error.type : undefined;
  if (status === 413 || type === 'entity.too.large') {
    return {
      code: 'payload_too_large',
      status: 413,
      message: 'The request is too large; nothing was changed.',
      log: 'none',
    };
  }
  if (type === 'entity.parse.failed') {
    return {
      code: 'invalid_payload',
      status,
      message: 'The request body is not valid JSON.',
      log: 'none',
    };
  }
  if (status === 404) {
    return { code: 'not_found', status, message: 'There is nothing here.', log: 'none' };
  }
  // e.g. a bad percent-escape in the path (`/api/posts/%`), or an unsupported body encoding.
  return {
    code: 'invalid_payload',
    status,
    message: 'The request could not be read; nothing was changed.',
    log: 'none',
  };
}

export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof DomainError) {
    const classified: ClassifiedError = {
      code: error.code,
      status: STATUS_OF[error.code],
      message: error.message,
      log: 'none',
    };
    if (error.retryAfterSeconds !== undefined) {
      classified.retryAfterSeconds = error.retryAfterSeconds;
    }
    return classified;
  }
  if (error instanceof StorageUnavailableError) {
    return {
      code: 'storage_unavailable',
      status: STATUS_OF.storage_unavailable,
      message: 'The server could not save this change, so nothing was changed. Try again later.',
      log: 'reason',
    };
  }
  const status = clientStatusOf(error);
  if (status !== undefined) return libraryRefusal(error as object, status);
  return {
    code: 'internal',
    status: STATUS_OF.internal,
    message: 'Something went wrong on the server.',
    log: 'stack',
  };
}

/** Classifies, and tells the operator what they need to know about `where` it happened. */
export function classifyAndLog(error: unknown, log: Logger, where: string): ClassifiedError {
  const classified = classifyError(error);
  if (classified.log === 'reason') {
    log.error(`could not save a change on ${where}: ${(error as Error).message}`);
  } else if (classified.log === 'stack') {
    log.error(`internal error on ${where}`, error);
  }
  return classified;
}

/** The part of a classification that travels to a client. */
export const wireErrorOf = ({ code, message }: ClassifiedError): WireError => ({ code, message });
