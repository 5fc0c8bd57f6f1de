/**
 * Milliseconds since the epoch with sub-millisecond resolution. Every bench process on one box
 * reads the same system clock through it, so a time stamped in one process (the publisher) and
 * read in another (a receiver) can be subtracted. Date.now() would round to whole milliseconds,
 * which is most of a fan-out to 200 sockets.
 */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
