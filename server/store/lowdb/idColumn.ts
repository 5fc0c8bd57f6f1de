/**
 * The events' ids, in event order. A data file's ids are all as long as one another (newId makes
 * 16 characters), so the file holds them as one string of fixed-width ids (version 3) and they are
 * kept that way: a hundred thousand ids are then one string JSON.parse makes, rather than a
 * hundred thousand strings made at every open and held as long as their events, when only a read
 * ack (the by-id index) or a record built for a query reads one. An id is cut out when read;
 * ids appended after open are held one string each.
 */
export class IdColumn {
  /** The first `#packedCount` ids, `#width` characters each. */
  #packed = '';
  #width = 0;
  #packedCount = 0;
  /** The ids after those. */
  #rest: string[] = [];

  /**
   * A data file's ids: an array, or one string of `width`-character ids (checked by the caller).
   * An array (a version 2 file's, or ids of several widths) is taken over, not copied, and given
   * room to grow now, so that the first event appended after the open does not copy it.
   */
  static fromFile(ids: string | string[], width: number | undefined): IdColumn {
    const column = new IdColumn();
    if (typeof ids === 'string') {
      column.#packed = ids;
      column.#width = width ?? 0;
      column.#packedCount = column.#width === 0 ? 0 : ids.length / column.#width;
    } else {
      column.#rest = withRoom(ids);
    }
    return column;
  }

  get length(): number {
    return this.#packedCount + this.#rest.length;
  }

  at(position: number): string {
    if (position < this.#packedCount) {
      const from = position * this.#width;
      return this.#packed.slice(from, from + this.#width);
    }
    return this.#rest[position - this.#packedCount] as string;
  }

  push(id: string): void {
    this.#rest.push(id);
  }

  /** Forgets the first `count` ids. */
  dropFront(count: number): void {
    const packed = Math.min(count, this.#packedCount);
    this.#packed = this.#packed.slice(packed * this.#width);
    this.#packedCount -= packed;
    this.#rest.splice(0, count - packed);
  }

  /** The ids from `from` on as a data file holds them: one string when they share a width. */
  toFile(from: number): { id: string | string[]; idWidth?: number } {
    const packed = Math.min(from, this.#packedCount);
    const rest = this.#rest.slice(from - packed);
    const width = this.#packedCount > packed ? this.#width : (rest[0]?.length ?? 0);
    if (width === 0 || rest.some((id) => id.length !== width)) {
      const ids: string[] = [];
      for (let at = from; at < this.length; at++) ids.push(this.at(at));
      return { id: ids };
    }
    return { id: this.#packed.slice(packed * this.#width) + rest.join(''), idWidth: width };
  }
}

/**
 * The array, given room for more ids now. An array JSON.parse made is exactly full, and V8 grows
 * a full array on the next push by copying all of it into one half as big again. The pop keeps
 * the room: V8 shrinks a backing store only once it is less than half used.
 */
function withRoom(ids: string[]): string[] {
  const first = ids[0];
  if (first === undefined) return ids;
  ids.push(first);
  ids.pop();
  return ids;
}
