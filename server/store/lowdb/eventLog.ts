/**
 * The events in memory, column-wise: one array per field, position i holding the i-th event
 * kept, ascending by seq. Ids repeated across events (users, posts) and the snapshots of titles and
 * names are interned (stringTable.ts), and the fields almost no event has (an announcement's url
 * and text, a time recorded in another form than toISOString's) live in a side map. A hundred
 * thousand events then cost a few flat arrays instead of a hundred thousand objects of a dozen
 * fields each (docs/STORAGE.md, "The form in memory"); a record is built only for an event a
 * query returns.
 */
import type { EventRecord } from '../store.js';
import { EVENT_TYPES as TYPES, type EventColumns, type EventColumnsV2 } from './document.js';
import { AppendColumn } from './appendColumn.js';
import { IdColumn } from './idColumn.js';
import { isoTime } from './isoTime.js';
import { StringTable } from './stringTable.js';
/** In `audiences`: the event is addressed to the subscribers, not to one user. */
const SUBSCRIBERS = -1;
/** Retention drops from the front; the arrays are cut only once this many are dropped, in bulk. */
const CUT_AFTER = 4096;

export class EventLog {
  /** Ascending. Positions below `#head` were dropped by retention and are cut in bulk later. */
  #seqs = new AppendColumn();
  #ids = new IdColumn();
  #types = new AppendColumn();
  /**
   * Epoch ms: one flat array of doubles instead of a string per event. The recorded time is
   * toISOString of it, or (for the few recorded in another form) kept as written in `#extras`.
   */
  #times = new AppendColumn();
  /** Interned user id, or SUBSCRIBERS. */
  #audiences = new AppendColumn();
  #actors = new AppendColumn();
  #posts = new AppendColumn();
  #titles = new AppendColumn();
  #actorNames = new AppendColumn();
  /** seq → an announcement's or imported post's url and text, a time as recorded. */
  readonly #extras = new Map<number, EventExtras>();
  /**
   * id → seq, built at the first lookup by id (a read ack): a hundred thousand entries that the
   * open would otherwise build for every start, 0.05 s of it at the likes data.
   */
  #seqById: Map<string, number> | undefined = new Map();
  #head = 0;

  constructor(private readonly strings: StringTable) {}

  /**
   * The log of a data file's events (checked by parseDocument.ts), its strings interned anew. It
   * takes the columns over rather than copying them: the parsed file is used for nothing else.
   * Events appended later go after them (appendColumn.ts), so the file's arrays never grow.
   */
  static fromColumns(strings: StringTable, columns: EventColumns): EventLog {
    const log = new EventLog(strings);
    const number = columns.strings.map((value) => strings.intern(value));
    // A file this store wrote has each string once, so into a fresh table they keep their
    // numbers and the columns are taken as they are.
    const same = number.every((value, at) => value === at);
    const refs = (column: number[]): AppendColumn =>
      new AppendColumn(same ? column : column.map((at) => number[at] as number));
    log.#seqs = new AppendColumn(columns.seq);
    log.#ids = IdColumn.fromFile(columns.id, columns.idWidth);
    log.#types = new AppendColumn(columns.type);
    log.#times = new AppendColumn(columns.createdAt);
    log.#audiences = new AppendColumn(
      same
        ? columns.audience
        : columns.audience.map((at) => (at === SUBSCRIBERS ? at : (number[at] as number))),
    );
    log.#actors = refs(columns.actor);
    log.#posts = refs(columns.post);
    log.#titles = refs(columns.postTitle);
    log.#actorNames = refs(columns.actorName);
    log.#seqById = undefined;
    for (const [seq, extra] of columns.extras) log.#extras.set(seq, extra);
    return log;
  }

  /** The events as the data file holds them, with only the strings they still refer to. */
  toColumns(): EventColumns {
    const written = new StringTable();
    const columns: EventColumns = {
      strings: [],
      seq: this.#seqs.slice(this.#head),
      ...this.#ids.toFile(this.#head),
      type: this.#types.slice(this.#head),
      createdAt: this.#times.slice(this.#head),
      audience: [],
      actor: [],
      post: [],
      postTitle: [],
      actorName: [],
      extras: [...this.#extras],
    };
    const ref = (number: number): number => written.intern(this.strings.at(number));
    for (let at = this.#head; at < this.#seqs.length; at++) {
      const audience = this.#audiences.at(at);
      columns.audience.push(audience === SUBSCRIBERS ? SUBSCRIBERS : ref(audience));
      columns.actor.push(ref(this.#actors.at(at)));
      columns.post.push(ref(this.#posts.at(at)));
      columns.postTitle.push(ref(this.#titles.at(at)));
      columns.actorName.push(ref(this.#actorNames.at(at)));
    }
    columns.strings = written.values();
    return columns;
  }

  get length(): number {
    return this.#seqs.length - this.#head;
  }

  /** Events arrive in seq order (checked at open), so this is an append. */
  append(event: EventRecord): void {
    const strings = this.strings;
    this.#seqs.push(event.seq);
    this.#ids.push(event.id);
    this.#types.push(TYPES.indexOf(event.type));
    const time = Date.parse(event.createdAt);
    this.#times.push(time);
    this.#audiences.push(
      event.audience.kind === 'user' ? strings.intern(event.audience.userId) : SUBSCRIBERS,
    );
    this.#actors.push(strings.intern(event.actorId));
    this.#posts.push(strings.intern(event.postId));
    this.#titles.push(strings.intern(event.postTitle));
    this.#actorNames.push(strings.intern(event.actorName));
    const exactTime = isoTime(time) === event.createdAt;
    if (event.url !== undefined || event.text !== undefined || !exactTime) {
      this.#extras.set(event.seq, {
        ...(event.url === undefined ? {} : { url: event.url }),
        ...(event.text === undefined ? {} : { text: event.text }),
        ...(exactTime ? {} : { createdAt: event.createdAt }),
      });
    }
    this.#seqById?.set(event.id, event.seq);
  }

  get(seq: number): EventRecord | undefined {
    const at = this.#positionOf(seq);
    return at === undefined ? undefined : this.#recordAt(at);
  }

  /** Whether the event with this seq is kept, without building its record. */
  has(seq: number): boolean {
    return this.#positionOf(seq) !== undefined;
  }

  getById(id: string): EventRecord | undefined {
    const seq = this.#idIndex().get(id);
    return seq === undefined ? undefined : this.get(seq);
  }

  /** Whether the event with this seq was made by this user, without building its record. */
  isByActor(seq: number, userId: string): boolean {
    const at = this.#positionOf(seq);
    return at !== undefined && this.#actors.at(at) === this.strings.find(userId);
  }

  /** The i-th event kept, oldest first: its seq, its time, whom it is addressed to, who made it. */
  seqAt(i: number): number {
    return this.#seqs.at(this.#head + i);
  }

  /** The i-th event's time in epoch ms. */
  timeAt(i: number): number {
    return this.#times.at(this.#head + i);
  }

  /** The user the i-th event is addressed to, or undefined when it is for the subscribers. */
  audienceUserAt(i: number): string | undefined {
    const audience = this.#audiences.at(this.#head + i);
    return audience === SUBSCRIBERS ? undefined : this.strings.at(audience);
  }

  actorAt(i: number): string {
    return this.strings.at(this.#actors.at(this.#head + i));
  }

  /**
   * Every event kept, oldest first, grouped for the inbox indexes (state.ts): the seqs addressed
   * to the subscribers, and by interned user number those addressed to each user and those each
   * actor addressed to the subscribers. One loop over the columns' arrays: the open runs it over
   * a hundred thousand events, mostly before V8 has optimised anything, where a method call per
   * column per event cost most of its time.
   */
  groupedSeqs(): GroupedSeqs {
    const grouped: GroupedSeqs = { subscribers: [], toUser: new Map(), ownPosts: new Map() };
    const seqs = this.#seqs.parts();
    const audiences = this.#audiences.parts();
    const actors = this.#actors.parts();
    // Every column is as long as the others, its file part too (appends and cuts touch all).
    let skip = this.#head;
    for (let part = 0; part < seqs.length; part++) {
      const seqsOf = seqs[part] as readonly number[];
      const audiencesOf = audiences[part] as readonly number[];
      const actorsOf = actors[part] as readonly number[];
      for (let at = Math.min(skip, seqsOf.length); at < seqsOf.length; at++) {
        const seq = seqsOf[at] as number;
        const audience = audiencesOf[at] as number;
        if (audience === SUBSCRIBERS) {
          grouped.subscribers.push(seq);
          pushTo(grouped.ownPosts, actorsOf[at] as number, seq);
        } else {
          pushTo(grouped.toUser, audience, seq);
        }
      }
      skip = Math.max(0, skip - seqsOf.length);
    }
    return grouped;
  }

  /** Drops the `count` oldest events. */
  dropOldest(count: number): void {
    const end = Math.min(this.#head + count, this.#seqs.length);
    for (let at = this.#head; at < end; at++) {
      const seq = this.#seqs.at(at);
      this.#seqById?.delete(this.#ids.at(at));
      this.#extras.delete(seq);
    }
    this.#head = end;
    if (this.#head >= CUT_AFTER || this.#head === this.#seqs.length) this.#cut();
  }

  /** Every event kept, oldest first, as records (for the data file). */
  *records(): Generator<EventRecord> {
    for (let at = this.#head; at < this.#seqs.length; at++) yield this.#recordAt(at);
  }

  #cut(): void {
    const head = this.#head;
    this.#ids.dropFront(head);
    for (const column of [
      this.#seqs,
      this.#types,
      this.#times,
      this.#audiences,
      this.#actors,
      this.#posts,
      this.#titles,
      this.#actorNames,
    ]) {
      column.dropFront(head);
    }
    this.#head = 0;
  }

  #idIndex(): Map<string, number> {
    if (this.#seqById === undefined) {
      this.#seqById = new Map();
      for (let at = this.#head; at < this.#seqs.length; at++) {
        this.#seqById.set(this.#ids.at(at), this.#seqs.at(at));
      }
    }
    return this.#seqById;
  }

  #positionOf(seq: number): number | undefined {
    const at = this.#seqs.indexAfter(seq) - 1;
    return at >= this.#head && this.#seqs.at(at) === seq ? at : undefined;
  }

  #recordAt(at: number): EventRecord {
    const strings = this.strings;
    const seq = this.#seqs.at(at);
    const audience = this.#audiences.at(at);
    return {
      seq,
      id: this.#ids.at(at),
      type: TYPES[this.#types.at(at)] as EventRecord['type'],
      createdAt: isoTime(this.#times.at(at)),
      audience:
        audience === SUBSCRIBERS
          ? { kind: 'subscribers' }
          : { kind: 'user', userId: strings.at(audience) },
      actorId: strings.at(this.#actors.at(at)),
      postId: strings.at(this.#posts.at(at)),
      postTitle: strings.at(this.#titles.at(at)),
      actorName: strings.at(this.#actorNames.at(at)),
      ...this.#extras.get(seq),
    };
  }
}

/** The events' seqs as the inbox indexes hold them, users by their interned numbers. */
export interface GroupedSeqs {
  subscribers: number[];
  toUser: Map<number, number[]>;
  ownPosts: Map<number, number[]>;
}

function pushTo(lists: Map<number, number[]>, key: number, seq: number): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [seq]);
  else list.push(seq);
}

/** What few events have besides the columns; spread over the record, last. */
type EventExtras = EventColumns['extras'][number][1];

/**
 * A version 2 file's events (times as recorded, ids an array) in version 3's form: each time in
 * epoch ms, and as written in `extras` when the ms would not give it back exactly.
 */
export function columnsFromVersion2(columns: EventColumnsV2): EventColumns {
  const extras = new Map<number, EventExtras>(columns.extras);
  const times = columns.createdAt.map((createdAt, at) => {
    const time = Date.parse(createdAt);
    if (isoTime(time) !== createdAt) {
      const seq = columns.seq[at] as number;
      extras.set(seq, { ...extras.get(seq), createdAt });
    }
    return time;
  });
  return {
    ...columns,
    createdAt: times,
    extras: [...extras].sort(([a], [b]) => a - b),
  };
}

/** Records (ascending by seq) as the data file holds them. */
export function eventColumns(records: Iterable<EventRecord>): EventColumns {
  const log = new EventLog(new StringTable());
  for (const record of records) log.append(record);
  return log.toColumns();
}

/** A data file's events as records (migrate-to-postgres, folding a journal into a snapshot). */
export function eventRecords(columns: EventColumns): EventRecord[] {
  return [...EventLog.fromColumns(new StringTable(), columns).records()];
}
