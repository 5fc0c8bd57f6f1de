/**
 * How a reconnect storm reads from the clients' side (issue 14): when each socket saw the cut,
 * how many attempts the dead server refused, how long each sat in its backoff after the server
 * was listening again, and how long the server then took to let it in and catch it up. A storm
 * that is mostly the clients' backoff after a long outage reads differently from a server busy
 * catching up: the first shows sockets idle long after listening, the second slow handshakes.
 */
import type { SocketOutage } from './protocol.js';
import { summarize } from './stats.js';

/** The cut as the orchestrator saw it, in wall-clock ms (bench/wallClock.ts). */
export interface CutTimes {
  /** The stop signal to the (first) server. */
  signalAt: number;
  /** The old server had exited (one node; absent for several). */
  exitAt?: number;
  /** The new server printed its listening line (one node; absent for several). */
  listeningAt?: number;
}

export interface StormTimeline {
  /** Printable lines, most telling first. */
  lines: string[];
  /** From listening until the last socket's attempt that got in: the clients' backoff alone. */
  lastAttemptAfterListeningMs: number | undefined;
  /** From listening until the last socket had its `sync`. */
  allSyncedAfterListeningMs: number | undefined;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const spread = (samples: number[]): string => {
  if (samples.length === 0) return 'none';
  const { p50, p99, max } = summarize(samples);
  return `p50 ${seconds(p50)}, p99 ${seconds(p99)}, max ${seconds(max)}`;
};

/** The last attempt started before the socket got in: the one the server answered. */
function attemptThatGotIn(outage: SocketOutage): number | undefined {
  const inAt = outage.connectedAt;
  if (inAt === undefined) return undefined;
  return outage.attempts.filter((at) => at <= inAt).at(-1);
}

export function readTimeline(outages: SocketOutage[], cut: CutTimes): StormTimeline {
  const lines: string[] = [];
  const since = (at: number): number => at - cut.signalAt;
  const zero = cut.listeningAt ?? cut.signalAt;
  const zeroName = cut.listeningAt === undefined ? 'the stop signal' : 'listening';
  const lostAfterSignal = outages.map((outage) => since(outage.lostAt));
  lines.push(
    `timeline (0 = SIGTERM): the clients saw the cut ${spread(lostAfterSignal)} after it` +
      (cut.exitAt === undefined ? '' : `; the old server exited at ${seconds(since(cut.exitAt))}`) +
      (cut.listeningAt === undefined
        ? ''
        : `; the new one printed its listening line at ${seconds(since(cut.listeningAt))}`),
  );

  const refusedBefore = outages.map(
    (outage) => outage.refused.filter((at) => cut.listeningAt === undefined || at < zero).length,
  );
  const refusedAll = refusedBefore.reduce((sum, n) => sum + n, 0);
  const busy = outages.reduce((sum, outage) => sum + outage.busy.length, 0);
  const refusedAfter = outages.reduce(
    (sum, outage) =>
      sum + outage.refused.filter((at) => cut.listeningAt !== undefined && at >= zero).length,
    0,
  );
  lines.push(
    `attempts refused${cut.listeningAt === undefined ? '' : ' before listening'}: ${refusedAll} ` +
      `(per socket p50 ${summarize(refusedBefore).p50}, max ${summarize(refusedBefore).max})` +
      (cut.listeningAt === undefined ? '' : `, after it: ${refusedAfter}`) +
      `; told server_busy: ${busy}`,
  );

  const synced = outages
    .map((outage) => outage.syncedAt)
    .filter((at): at is number => at !== undefined)
    .map((at) => at - zero);
  const lastSynced = synced.length > 0 ? Math.max(...synced) : undefined;
  if (lastSynced !== undefined) {
    const counts: string[] = [];
    for (let second = 1; second <= Math.ceil(lastSynced / 1000); second++) {
      counts.push(`+${second} s ${synced.filter((ms) => ms <= second * 1000).length}`);
    }
    lines.push(
      `back and caught up, by second after ${zeroName}: ${counts.join(' · ')} (of ${outages.length})`,
    );
  }

  const gotIn = outages
    .map((outage) => attemptThatGotIn(outage))
    .filter((at): at is number => at !== undefined)
    .map((at) => at - zero);
  const lastAttempt = gotIn.length > 0 ? Math.max(...gotIn) : undefined;
  const handshake = outages.flatMap((outage) => {
    const at = attemptThatGotIn(outage);
    return at !== undefined && outage.connectedAt !== undefined ? [outage.connectedAt - at] : [];
  });
  const catchUp = outages.flatMap((outage) =>
    outage.connectedAt !== undefined && outage.syncedAt !== undefined
      ? [outage.syncedAt - outage.connectedAt]
      : [],
  );
  if (cut.listeningAt !== undefined) {
    // Attempts made before the listening line but answered are counted as no wait.
    lines.push(
      `waiting in backoff after listening (until the attempt that got in): ${spread(gotIn.map((ms) => Math.max(0, ms)))}; ` +
        `${gotIn.filter((ms) => ms > 3_000).length} sockets waited more than 3 s`,
    );
  }
  lines.push(
    `that attempt → socket.io connect: ${spread(handshake)}; connect → sync: ${spread(catchUp)}`,
  );
  if (lastAttempt !== undefined && lastSynced !== undefined) {
    lines.push(
      `the last attempt that got in started ${seconds(lastAttempt)} after ${zeroName}, ` +
        `the last sync arrived ${seconds(lastSynced)} after ${zeroName}`,
    );
  }
  return {
    lines,
    lastAttemptAfterListeningMs: cut.listeningAt === undefined ? undefined : lastAttempt,
    allSyncedAfterListeningMs: cut.listeningAt === undefined ? undefined : lastSynced,
  };
}
