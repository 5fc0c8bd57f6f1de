/**
 * How the pages answer: an HTML page, or (for the page script's fetch) JSON in the API's error
 * shape. Refusals become a page that says what happened and that nothing changed; unexpected
 * errors go to the log with their stack, never to the user.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { ErrorCode } from '../../contract/wire.js';
import { classifyAndLog, STATUS_OF } from '../edge/errors.js';
import type { Logger } from '../log.js';
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
  server_busy: 'Try again shortly',
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

export function pageErrorHandler(
  log: Logger,
  contextOf: (req: Request) => PageContext | undefined,
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { code, message, log: logged } = classifyAndLog(error, log, `${req.method} ${req.path}`);
    sendProblem(req, res, contextOf(req), {
      code,
      title: TITLES[code],
      // The operator has the stack; the visitor gets a next step.
      message:
        logged === 'stack'
          ? 'The server could not finish this request. Please try again in a moment.'
          : message,
    });
  };
}
