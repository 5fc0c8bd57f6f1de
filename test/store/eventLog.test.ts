/**
 * The events' compact form (eventLog.ts) gives back exactly the records it was given: by seq, by
 * id, in order, after retention has dropped some from the front (also past the point where the
 * arrays are cut), and through the data file's columns and back; a log read from a data file
 * takes the file's columns and its first new event without copying a column (neither the open
 * nor the first like pays for growing them).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSpaceStatistics } from 'node:v8';
import type { EventRecord } from '../../server/store/store.js';
import { EventLog, eventColumns, eventRecords } from '../../server/store/lowdb/eventLog.js';
import { StringTable } from '../../server/store/lowdb/stringTable.js';

function eventNo(seq: number): EventRecord {
  const kind = seq % 3;
  return {
    seq,
    id: `event-${seq}`,
    type: kind === 0 ? 'new_post' : kind === 1 ? 'post_liked' : 'announcement',
    createdAt: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    audience: kind === 1 ? { kind: 'user', userId: `author-${seq % 7}` } : { kind: 'subscribers' },
    actorId: `user-${seq % 101}`,
    postId: kind === 2 ? '' : `post-${seq % 13}`,
    postTitle: `Title ${seq % 13}`,
    actorName: `name-${seq % 101}`,
    ...(kind === 2 ? { url: `https://example.org/${seq}`, text: `Text ${seq}` } : {}),
  };
}

describe('the event log', () => {
  it('returns every record as given, by seq and by id, after drops from the front', () => {
    const all = Array.from({ length: 10_000 }, (_, i) => eventNo(2 * i + 1));
    const log = new EventLog(new StringTable());
    for (const event of all) log.append(event);
    assert.equal(log.length, all.length);

    // 3,000 then 2,000 more: the second drop passes the point where the arrays are cut.
    log.dropOldest(3_000);
    assert.deepEqual([...log.records()], all.slice(3_000));
    log.dropOldest(2_000);
    const kept = all.slice(5_000);
    assert.equal(log.length, kept.length);
    assert.deepEqual([...log.records()], kept);

    for (const event of [kept[0], kept[1], kept[2], kept[2_345], kept[kept.length - 1]]) {
      assert.ok(event);
      assert.deepEqual(log.get(event.seq), event);
      assert.deepEqual(log.getById(event.id), event);
      assert.equal(log.isByActor(event.seq, event.actorId), true);
      assert.equal(log.isByActor(event.seq, 'someone else'), false);
    }
    const dropped = all[4_999];
    assert.ok(dropped);
    assert.equal(log.get(dropped.seq), undefined, 'a dropped event is gone by seq');
    assert.equal(log.getById(dropped.id), undefined, 'and by id');
    assert.equal(log.get(2), undefined, 'a seq no event has');
    assert.equal(log.seqAt(0), kept[0]?.seq);
    for (let i = 0; i < 3; i++) {
      const audience = kept[i]?.audience;
      assert.equal(log.audienceUserAt(i), audience?.kind === 'user' ? audience.userId : undefined);
    }
    assert.equal(log.actorAt(0), kept[0]?.actorId);
  });

  it('finds events by id when the log came from the file and changed before the first lookup', () => {
    // The id index of a log read from the file is built at its first lookup, so it must reflect
    // the drops and appends made before that lookup, and keep up with those after it.
    const all = Array.from({ length: 6_000 }, (_, i) => eventNo(i + 1));
    const log = EventLog.fromColumns(new StringTable(), eventColumns(all.slice(0, 5_000)));
    log.dropOldest(4_500);
    for (const event of all.slice(5_000, 5_500)) log.append(event);
    assert.equal(log.getById('event-4500'), undefined, 'dropped before the first lookup');
    assert.deepEqual(log.getById('event-4501'), all[4_500]);
    assert.deepEqual(log.getById('event-5500'), all[5_499], 'appended before the first lookup');
    for (const event of all.slice(5_500)) log.append(event);
    log.dropOldest(100);
    assert.equal(log.getById('event-4600'), undefined, 'dropped after the first lookup');
    assert.deepEqual(log.getById('event-4601'), all[4_600]);
    assert.deepEqual(log.getById('event-6000'), all[5_999], 'appended after the first lookup');
  });

  it('goes through the data file columns and back unchanged', () => {
    const all = Array.from({ length: 50 }, (_, i) => eventNo(i + 1));
    const columns = eventColumns(all);
    assert.equal(columns.seq.length, 50);
    assert.ok(columns.strings.length < 50 * 5, 'repeated strings are written once');
    assert.deepEqual(eventRecords(JSON.parse(JSON.stringify(columns)) as typeof columns), all);
    // Into a table that already numbers other strings, the references are renumbered.
    const strings = new StringTable();
    strings.intern('something else');
    assert.deepEqual([...EventLog.fromColumns(strings, columns).records()], all);
  });
  it("takes a data file's columns and the first event after them without copying a column", () => {
    // Big enough that each column is a large object in V8's heap, where a copy of one shows as a
    // new object as big as the column (1.2 MB each here) and nothing else the log makes does.
    // The ids are of one width, as newId makes them, so the file holds them as one string; no
    // event has a url or a text, which the log keeps in a map of its own.
    const count = 100_000;
    const event = (seq: number): EventRecord => {
      const record: EventRecord = { ...eventNo(seq), id: `e${String(seq).padStart(7, '0')}` };
      delete record.url;
      delete record.text;
      return record;
    };
    const columns = eventColumns(Array.from({ length: count }, (_, i) => event(i + 1)));
    const parsed = JSON.parse(JSON.stringify(columns)) as typeof columns;
    const largeObjects = (): number =>
      getHeapSpaceStatistics()
        .filter((space) => space.space_name.endsWith('large_object_space'))
        .reduce((sum, space) => sum + space.space_used_size, 0);
    const beforeOpen = largeObjects();
    const log = EventLog.fromColumns(new StringTable(), parsed);
    const opened = largeObjects() - beforeOpen;
    // With the columns grown at open (roomToGrow): 9.6 MB, eight columns copied into bigger ones.
    assert.ok(opened < 1_000_000, `taking the columns allocated ${opened} bytes of large objects`);
    const next = event(count + 1);
    const before = largeObjects();
    log.append(next);
    const grown = largeObjects() - before;
    // With neither: 15.1 MB (the nine columns copied into bigger ones by that append).
    assert.ok(grown < 1_000_000, `the append allocated ${grown} bytes of large objects`);
    assert.deepEqual(log.get(next.seq), next);
    assert.equal(log.length, count + 1);
    assert.deepEqual(log.get(count), event(count), 'the last event of the file');
    log.dropOldest(5_000); // past the point where the columns are cut, file and appended alike
    assert.equal(log.seqAt(0), 5_001);
    assert.deepEqual(log.get(next.seq), next);
    assert.deepEqual(log.getById(next.id), next);
  });

  it('groups its seqs for the inbox indexes, after drops and appends alike', () => {
    const all = Array.from({ length: 12_000 }, (_, i) => eventNo(i + 1));
    const strings = new StringTable();
    let log = EventLog.fromColumns(strings, eventColumns(all.slice(0, 10_000)));
    const check = () => {
      // What the accessors say, one event at a time.
      const subscribers: number[] = [];
      const toUser = new Map<string, number[]>();
      const ownPosts = new Map<string, number[]>();
      const add = (lists: Map<string, number[]>, key: string, seq: number) =>
        lists.set(key, [...(lists.get(key) ?? []), seq]);
      for (let i = 0; i < log.length; i++) {
        const user = log.audienceUserAt(i);
        if (user === undefined) {
          subscribers.push(log.seqAt(i));
          add(ownPosts, log.actorAt(i), log.seqAt(i));
        } else {
          add(toUser, user, log.seqAt(i));
        }
      }
      const grouped = log.groupedSeqs();
      const byId = (lists: Map<number, number[]>) =>
        new Map([...lists].map(([number, seqs]) => [strings.at(number), seqs]));
      assert.deepEqual(grouped.subscribers, subscribers);
      assert.deepEqual(byId(grouped.toUser), toUser);
      assert.deepEqual(byId(grouped.ownPosts), ownPosts);
    };
    check();
    log.dropOldest(3_000); // not yet cut: skipped in the file's arrays
    for (const event of all.slice(10_000, 11_000)) log.append(event);
    check();
    log.dropOldest(7_500); // cut, and past the file's arrays into the appended ones
    for (const event of all.slice(11_000)) log.append(event);
    check();
    assert.equal(log.seqAt(0), 10_501);

    // Fewer dropped than are cut, all of the file's and some appended.
    log = EventLog.fromColumns(strings, eventColumns(all.slice(0, 100)));
    for (const event of all.slice(100, 1_100)) log.append(event);
    log.dropOldest(300);
    check();
    assert.equal(log.seqAt(0), 301);
  });

  it('holds ids of one width as one string and odd times as written, through drops and appends', () => {
    // Ids of one width, as newId makes them; every fifth time as a client of an older server
    // might have recorded it (no ms, or finer than ms), which epoch ms would not give back.
    const sameWidth = (seq: number): EventRecord => {
      const event = eventNo(seq);
      const id = `e${String(seq).padStart(7, '0')}`;
      if (seq % 5 !== 0) return { ...event, id };
      const createdAt =
        seq % 10 === 0
          ? event.createdAt.replace('.000Z', 'Z')
          : event.createdAt.replace('Z', '999Z');
      return { ...event, id, createdAt };
    };
    const all = Array.from({ length: 6_000 }, (_, i) => sameWidth(i + 1));
    const columns = eventColumns(all.slice(0, 5_000));
    assert.equal(
      columns.id,
      all
        .slice(0, 5_000)
        .map((event) => event.id)
        .join(''),
    );
    assert.equal(columns.idWidth, 8);
    assert.ok(columns.createdAt.every((time) => typeof time === 'number'));
    assert.equal(columns.extras.filter(([, extra]) => extra.createdAt !== undefined).length, 1_000);

    const log = EventLog.fromColumns(new StringTable(), JSON.parse(JSON.stringify(columns)));
    assert.deepEqual([...log.records()], all.slice(0, 5_000));
    log.dropOldest(4_500); // past the point where the columns are cut
    for (const event of all.slice(5_000)) log.append(event);
    assert.deepEqual([...log.records()], all.slice(4_500));
    const packed = all[4_999];
    assert.ok(packed);
    assert.deepEqual(log.getById(packed.id), packed, 'an id read from the one string');
    assert.equal(log.timeAt(0), Date.parse(all[4_500]?.createdAt ?? ''));
    const again = log.toColumns();
    assert.equal(again.idWidth, 8, 'still one width');
    assert.deepEqual(
      eventRecords(JSON.parse(JSON.stringify(again)) as typeof again),
      all.slice(4_500),
    );

    // An id of another width: the file gets an array, and reads back the same.
    const odd = { ...eventNo(6_001), id: 'longer-than-eight' };
    log.append(odd);
    const mixed = log.toColumns();
    assert.ok(Array.isArray(mixed.id));
    assert.equal(mixed.idWidth, undefined);
    assert.deepEqual(eventRecords(JSON.parse(JSON.stringify(mixed)) as typeof mixed), [
      ...all.slice(4_500),
      odd,
    ]);
  });
});
