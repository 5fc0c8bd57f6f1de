/**
 * Which failures mean "PostgreSQL cannot be reached or cannot take writes right now": those become
 * StorageUnavailableError (the API answers 503 storage_unavailable and the node keeps running, so
 * it recovers by itself when the database is back). Anything else is a bug and stays as it is.
 */
import { StorageUnavailableError } from '../store.js';

/** Socket-level errors from the pg client (the server is down, restarting or unreachable). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATE classes and codes: 08 connection exception, 53 insufficient resources (disk full, too
 * many connections), 57P01–57P03 the server is shutting down or starting, 25006 a read-only
 * standby, 58 system error (I/O).
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    code.startsWith('58') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '25006'
  );
}

/** The pg client's own words when a connection dies or cannot be had in time. */
const CLIENT_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
];

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StorageUnavailableError) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) {
    return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return CLIENT_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** Rethrows `error` as StorageUnavailableError when the database is the reason. */
export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError || !isUnavailable(error)) return error;
  const reason = error instanceof Error ? error.message || String(error) : String(error);
  return new StorageUnavailableError(`PostgreSQL is unavailable: ${reason}`);
}
