import { randomBytes } from 'node:crypto';

/** 96 random bits, URL-safe: unguessable, and short enough to keep the data file small. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}
