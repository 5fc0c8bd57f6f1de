/**
 * The one-time setup code that makes the first account admin. On a fresh server, whoever signs up
 * first would otherwise run the blog; the code comes from the operator instead (printed in the
 * server's log at first start, or chosen with TIDINGS_SETUP_CODE), so a stranger who finds the
 * site first gets nothing.
 *
 * Nodes sharing one database share one code: the first node to start keeps its code's digest in
 * the store and prints the code; the others accept that code and say which node printed it
 * (docs/SCALING.md, "The first admin").
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { AccountStore, SetupCodeRecord } from '../store/store.js';

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

/** What the store keeps: the digest, hex. */
export const setupCodeDigest = (code: string): string => digest(code).toString('hex');

/**
 * Whether `given` is the code of one of `digests`, each compared in constant time, so response
 * times do not reveal how much of a guess was right.
 */
export function matchesSetupCode(digests: readonly string[], given: string): boolean {
  if (normalised(given).length === 0) return false;
  const offered = digest(given);
  return digests
    .map((expected) => timingSafeEqual(Buffer.from(expected, 'hex'), offered))
    .includes(true);
}

export interface NodeSetupCode {
  /** The digests this node accepts: the store's code, and the operator's own when given. */
  digests: string[];
  /** The log line at start. */
  announcement(publicUrl: string): string;
}

/**
 * The setup code of a node starting on a store without accounts: it offers a code (the operator's,
 * or a new one) and the store keeps the first offer of every node on it, so each node accepts the
 * same code. A node whose offer was not kept names the node whose log holds the code.
 */
export async function agreeSetupCode(
  store: Pick<AccountStore, 'keepSetupCode'>,
  chosenByOperator: string | undefined,
  node: string,
  now: Date,
): Promise<NodeSetupCode> {
  const code = chosenByOperator ?? newSetupCode();
  const offered: SetupCodeRecord = {
    digest: setupCodeDigest(code),
    issuedBy: node,
    issuedAt: now.toISOString(),
  };
  const kept = await store.keepSetupCode(offered);
  const ours = kept.digest === offered.digest;
  return {
    // The operator's own code also works on the node it was given to; a code made up here and
    // not kept is never printed.
    digests: ours || chosenByOperator === undefined ? [kept.digest] : [kept.digest, offered.digest],
    announcement: (publicUrl) =>
      ours || chosenByOperator !== undefined
        ? setupAnnouncement(publicUrl, code, chosenByOperator !== undefined)
        : setupAnnouncementElsewhere(publicUrl, kept),
  };
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

/** The log line of a node sharing a store whose code another node made and printed. */
function setupAnnouncementElsewhere(publicUrl: string, kept: SetupCodeRecord): string {
  return (
    `no account yet: sign up at ${publicUrl}/signup with the setup code that node ${kept.issuedBy} ` +
    `printed in its log at ${kept.issuedAt} (nodes sharing a database share one code) to become ` +
    'the blog\'s admin (or run "tidings-server users add NAME --admin --author --database-url URL")'
  );
}
