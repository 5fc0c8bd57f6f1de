import type { ErrorCode, WireError } from '../../contract/wire.js';

/**
 * A refusal the user caused and can act on: it travels to the client as `{code, message}` (HTTP
 * error body or socket ack). Anything that is not a DomainError is unexpected and is reported as
 * `internal` without details.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds until a rate-limited caller may retry. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}
