/**
 * Read state as the lowdb driver keeps it, in SQL rows: a cursor (every visible event up to it is
 * read) plus the seqs read out of order above it, kept small by moving the cursor past every
 * read seq that directly follows it.
 */
export interface ReadState {
  cursor: number;
  /** Ascending, all above the cursor. */
  above: number[];
}

export const UNREAD: ReadState = { cursor: 0, above: [] };

export function isRead(read: ReadState, seq: number): boolean {
  return seq <= read.cursor || read.above.includes(seq);
}

/**
 * Adds `seqs` to the read state. `visibleAfterCursor` is the user's visible seqs above the current
 * cursor, ascending; only as many as `above` will hold are needed (the cursor cannot move further).
 */
export function withReadSeqs(
  read: ReadState,
  seqs: readonly number[],
  visibleAfterCursor: readonly number[],
): ReadState {
  const above = [...new Set([...read.above, ...seqs.filter((seq) => seq > read.cursor)])].sort(
    (a, b) => a - b,
  );
  let cursor = read.cursor;
  let next = 0;
  for (const seq of visibleAfterCursor) {
    if (above[next] !== seq) break;
    cursor = seq;
    next++;
  }
  return { cursor, above: above.slice(next) };
}
