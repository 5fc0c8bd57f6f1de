/**
 * One of the event log's number columns: the array a data file gave (taken over as JSON.parse made
 * it, never pushed to) followed by the values appended since, in an array of their own.
 *
 * An array JSON.parse made is exactly full, so pushing onto it makes V8 copy all of it into a new
 * backing store half as big again: at the likes data nine columns of 100,000, which the first like
 * after open paid (60–100 ms, docs/BENCHMARKS.md, likes6) until the open grew them ahead of time
 * (40 ms of every open, mostly the fresh pages of those copies). Appends kept apart cost neither:
 * the file's array is never grown, and the appended one grows from empty, a little at a time.
 */
import { indexAfter } from './sortedSeqs.js';

export class AppendColumn {
  /** The first values: the file's array, or what a cut left of it. */
  #base: number[];
  /** Every value appended after those. */
  #rest: number[] = [];

  /** `base` is taken over, not copied: the parsed file is used for nothing else. */
  constructor(base: number[] = []) {
    this.#base = base;
  }

  get length(): number {
    return this.#base.length + this.#rest.length;
  }

  at(position: number): number {
    const base = this.#base;
    return (position < base.length ? base[position] : this.#rest[position - base.length]) as number;
  }

  push(value: number): void {
    this.#rest.push(value);
  }

  /** For an ascending column: the position of the first value greater than `value`. */
  indexAfter(value: number): number {
    const base = this.#base;
    const firstAppended = this.#rest[0];
    if (firstAppended === undefined || value < firstAppended) return indexAfter(base, value);
    return base.length + indexAfter(this.#rest, value);
  }

  /** The values, in order, as the two arrays that hold them (for a loop over all of them). */
  parts(): readonly (readonly number[])[] {
    return [this.#base, this.#rest];
  }

  /** Forgets the first `count` values (moving the others down, as splice does). */
  dropFront(count: number): void {
    const fromBase = Math.min(count, this.#base.length);
    this.#base.splice(0, fromBase);
    this.#rest.splice(0, count - fromBase);
  }

  /** The values from `from` on, in one new array. */
  slice(from: number): number[] {
    const base = this.#base;
    if (from >= base.length) return this.#rest.slice(from - base.length);
    return base.slice(from).concat(this.#rest);
  }
}
