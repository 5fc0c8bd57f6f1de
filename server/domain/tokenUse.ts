/**
 * When a device token's use is recorded, and when disuse ends it: plain functions over the token
 * record and the time, so the rules read in one place (the accounts service applies them).
 */
import type { TokenRecord } from '../store/store.js';

export const DEFAULT_TOKEN_IDLE_DAYS = 90;
/**
 * How stale a token's recorded last use may get before a request records it again: a request
 * then costs a write at most once per five minutes per device, not every time.
 */
export const TOKEN_USE_RESOLUTION_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The token's last recorded use; its creation until the first one was recorded. */
export const lastUseOf = (token: TokenRecord): string => token.lastUsedAt ?? token.createdAt;

const sinceLastUse = (token: TokenRecord, at: Date): number =>
  at.getTime() - Date.parse(lastUseOf(token));

/** Unused for longer than the idle limit: refused, and removed. */
export const isIdleTooLong = (token: TokenRecord, at: Date, idleDays: number): boolean =>
  sinceLastUse(token, at) > idleDays * DAY_MS;

/** The recorded last use is stale enough that this use should be written down. */
export const shouldRecordUse = (token: TokenRecord, at: Date): boolean =>
  sinceLastUse(token, at) > TOKEN_USE_RESOLUTION_MS;
