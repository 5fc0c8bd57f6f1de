/**
 * How the pages answer: an HTML page, or (for the page script's fetch) JSON in the API's error
 * shape. Refusals become a page that says what happened and that nothing changed; unexpected
 * errors go to the log with their stack, never to the user.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { ErrorCode } from '../../contract/wire.js';
import { DomainError } from '../domain/errors.js';
import { STATUS_OF } from '../http/errors.js';
import type { Logger } from '../log.js';
import { StorageUnavailableError } from '../store/store.js';
import type { PageContext } from './pages/layout.js';
import { renderNotFound, renderProblem } from './pages/problem.js';

export interface Problem {
  code: ErrorCode;
  title: string;
  message: string;
}

const TITLES: Record<ErrorCode, string> = {
  unauthorized: 'Please sign in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  invalid_payload: 'Bad request',
  payload_too_large: 'Too large',
  conflict: 'Conflict',
  invalid_text: 'Text not accepted',
  registration_closed: 'Registration is closed',
  rate_limited: 'Slow down',
  storage_unavailable: 'Try again later',
  internal: 'Something went wrong',
};

/** Before the visitor is known (or when resolving it failed), pages render signed out. */
const SIGNED_OUT: PageContext = { viewer: undefined, csrfToken: '', unreadCount: 0 };

export const wantsJson = (req: Request): boolean =>
  (req.get('accept') ?? '').includes('application/json');

export function sendPage(res: Response, body: string, status = 200): void {
  res.status(status).type('html').send(body);
}

export function sendProblem(
  req: Request,
  res: Response,
  context: PageContext | undefined,
  problem: Problem,
): void {
  const status = STATUS_OF[problem.code];
  if (wantsJson(req)) {
    res.status(status).json({ error: { code: problem.code, message: problem.message } });
  } else if (problem.code === 'not_found') {
    sendPage(res, renderNotFound(context ?? SIGNED_OUT), 404);
  } else {
    sendPage(res, renderProblem(context ?? SIGNED_OUT, problem), status);
  }
}

/** body-parser and serve-static mark their refusals with a 4xx `status`; anything else is ours. */
function statusOfLibraryError(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function problemOf(error: unknown): Problem | undefined {
  if (error instanceof DomainError) {
    return { code: error.code, title: TITLES[error.code], message: error.message };
  }
  if (error instanceof StorageUnavailableError) {
    return {
      code: 'storage_unavailable',
      title: TITLES.storage_unavailable,
      message: 'The server could not save this change, so nothing was changed. Try again later.',
    };
  }
  switch (statusOfLibraryError(error)) {
    case undefined:
      return undefined;
    case 404:
      return { code: 'not_found', title: TITLES.not_found, message: 'There is nothing here.' };
    case 413:
      return {
        code: 'payload_too_large',
        title: TITLES.payload_too_large,
        message: 'That form was too large to accept. Nothing was changed.',
      };
    default:
      return {
        code: 'invalid_payload',
        title: TITLES.invalid_payload,
        message: 'That request could not be read. Nothing was changed.',
      };
  }
}

export function pageErrorHandler(
  log: Logger,
  contextOf: (req: Request) => PageContext | undefined,
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = problemOf(error);
    if (error instanceof StorageUnavailableError) {
      // The visitor reads "nothing was changed"; the operator needs the file and the reason.
      log.error(`could not save a change on ${req.method} ${req.path}: ${error.message}`);
    }
    if (problem) {
      sendProblem(req, res, contextOf(req), problem);
      return;
    }
    log.error(`web page failed on ${req.method} ${req.path}`, error);
    sendProblem(req, res, contextOf(req), {
      code: 'internal',
      title: TITLES.internal,
      message: 'The server could not finish this request. Please try again in a moment.',
    });
  };
}
