/**
 * How far back the catch-ups reach after a Redis outage.
 *
 * A client's `since` is the highest seq it has seen. During an outage a node still pushes its own
 * items to its own sockets, but the other nodes' items never reach them: a client can then hold
 * seq 12 (from its node) and miss seq 11 (from another), and `since: 12` would never bring 11
 * back. So every node remembers the newest seq it knew a few seconds before the outage began (an
 * item lost in flight when Redis went down is younger than that), and when Redis is back it tells
 * every node that floor. For a while after that, every handshake catches up from at most the
 * floor: the catch-up repeats some items the client holds (clients ignore an id they hold and do
 * not alert on it again) and brings back everything it missed, whichever node it reconnects to.
 */
import type { TidingsServer } from '../realtime/socketServer.js';

/** An item in flight when Redis went down is younger than this. */
const LOOKBACK_MS = 5_000;
const SAMPLE_MS = 1_000;
/** Long enough for every client of every node to reconnect (they retry within seconds). */
const FLOOR_LIFETIME_MS = 60_000;

export interface CatchUpFloor {
  /** The `since` a handshake's catch-up uses. */
  lower(since: number | undefined): number | undefined;
  /** The link to Redis dropped: remember the floor of this outage. */
  outageBegan(): void;
  /** Redis is back: tell every node (this one too) the floor, before the clients reconnect. */
  outageEnded(): void;
  stop(): void;
}

export function createCatchUpFloor(io: TidingsServer, latestSeq: () => number): CatchUpFloor {
  /** latestSeq() once a second, oldest first, covering LOOKBACK_MS. */
  const samples: number[] = [];
  const sampler = setInterval(() => {
    samples.push(latestSeq());
    if (samples.length > LOOKBACK_MS / SAMPLE_MS) samples.shift();
  }, SAMPLE_MS);
  sampler.unref();

  let outageFloor: number | undefined;
  let floor: { seq: number; until: number } | undefined;

  const adopt = (seq: number): void => {
    const lowest = floor && floor.until > Date.now() ? Math.min(floor.seq, seq) : seq;
    floor = { seq: lowest, until: Date.now() + FLOOR_LIFETIME_MS };
  };
  io.on('catchup:floor', adopt);

  return {
    lower(since) {
      if (since === undefined || !floor) return since;
      if (floor.until <= Date.now()) {
        floor = undefined;
        return since;
      }
      return Math.min(since, floor.seq);
    },
    outageBegan() {
      outageFloor ??= samples[0] ?? latestSeq();
    },
    outageEnded() {
      if (outageFloor === undefined) return;
      adopt(outageFloor);
      io.serverSideEmit('catchup:floor', outageFloor);
      outageFloor = undefined;
    },
    stop: () => clearInterval(sampler),
  };
}
