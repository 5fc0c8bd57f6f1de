/**
 * Binary search over ascending arrays of seqs. The inbox indexes keep one such array per stream
 * (the subscribers' stream, each user's own stream), so counting or paging a user's inbox costs
 * O(log n) per stream instead of a scan over every event.
 */

/** Index of the first element greater than `seq` (so elements before it are <= seq). */
export function indexAfter(seqs: readonly number[], seq: number): number {
  let low = 0;
  let high = seqs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((seqs[mid] as number) <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** How many seqs lie in the half-open range (after, upTo]. */
export function countInRange(seqs: readonly number[], after: number, upTo: number): number {
  if (upTo <= after) return 0;
  return indexAfter(seqs, upTo) - indexAfter(seqs, after);
}

/** Inserts keeping the order; seqs are issued in increasing order, so this is usually a push. */
export function insertSorted(seqs: number[], seq: number): void {
  const last = seqs[seqs.length - 1];
  if (last === undefined || last < seq) {
    seqs.push(seq);
    return;
  }
  const at = indexAfter(seqs, seq);
  if (seqs[at - 1] !== seq) seqs.splice(at, 0, seq);
}

/** Removes every seq <= `upTo` (retention drops the oldest events). */
export function dropUpTo(seqs: number[], upTo: number): void {
  const cut = indexAfter(seqs, upTo);
  if (cut > 0) seqs.splice(0, cut);
}
