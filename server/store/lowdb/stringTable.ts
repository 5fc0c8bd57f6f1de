/**
 * Interned strings: each distinct string kept once and named by a small int. The events and the
 * likes repeat a few thousand strings (user and post ids, titles, names) a hundred thousand
 * times; held as ints they cost 8 bytes a mention instead of a string each (docs/STORAGE.md, "The
 * form in memory"). Strings are never removed: the table lives as long as the state, which is
 * rebuilt from the file at every open.
 */
export class StringTable {
  readonly #numbers = new Map<string, number>();
  readonly #strings: string[] = [];

  /** The string's number, given it one if it has none yet. */
  intern(value: string): number {
    let number = this.#numbers.get(value);
    if (number === undefined) {
      number = this.#strings.length;
      this.#strings.push(value);
      this.#numbers.set(value, number);
    }
    return number;
  }

  /** The string's number if it has one; a lookup never grows the table. */
  find(value: string): number | undefined {
    return this.#numbers.get(value);
  }

  /** Every string, in the order of their numbers. */
  values(): string[] {
    return [...this.#strings];
  }

  at(number: number): string {
    const value = this.#strings[number];
    if (value === undefined) throw new Error(`no interned string ${number}`);
    return value;
  }
}
