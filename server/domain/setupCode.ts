/**
 * The one-time setup code that makes the first account admin. On a fresh server, whoever signs up
 * first would otherwise run the blog; the code comes from the operator instead (printed in the
 * server's log at first start, or chosen with TIDINGS_SETUP_CODE), so a stranger who finds the
 * site first gets nothing.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** No 0/o, 1/l/i: the code is read off a log and typed. 31 letters ^ 20 ≈ 99 bits. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 5;

export function newSetupCode(): string {
  const groups = Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}

/** Case, spaces and dashes do not matter: people copy codes in pieces. */
const normalised = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');
const digest = (code: string): Buffer => createHash('sha256').update(normalised(code)).digest();

/** Compared in constant time, so response times do not reveal how much of a guess was right. */
export function matchesSetupCode(expected: string, given: string): boolean {
  return normalised(given).length > 0 && timingSafeEqual(digest(expected), digest(given));
}

/** The log line at a start without accounts: where to sign up, and the code (unless it is the operator's own). */
export function setupAnnouncement(
  publicUrl: string,
  code: string,
  chosenByOperator: boolean,
): string {
  const which = chosenByOperator
    ? 'the setup code from TIDINGS_SETUP_CODE'
    : `the setup code ${code}`;
  return (
    `no account yet: sign up at ${publicUrl}/signup with ${which} to become the blog's admin ` +
    '(or stop the server and run "tidings-server users add NAME --admin --author")'
  );
}
