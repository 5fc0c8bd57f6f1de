/**
 * The open's hand-written check of a version 3 file (quickDocument.ts) must never pass what
 * DocumentSchema refuses, and what it passes the schema must return unchanged (the store keeps
 * the parsed value itself). Its field lists are held to the schemas' shapes here, and both are
 * tried on the same document with one value made bad at a time, at every level of the file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  DocumentSchema,
  EventColumnsSchema,
  FEED_FIELDS,
  FeedSchema,
  POST_FIELDS,
  PostSchema,
} from '../../server/store/lowdb/document.js';
import {
  DOCUMENT_CHECKS,
  EVENT_COLUMN_CHECKS,
  isQuickDocument,
} from '../../server/store/lowdb/quickDocument.js';

const AT = '2026-11-01T10:00:00.000Z';

/** A document with every optional field present, as a file holds it. */
function fullDocument(): Record<string, unknown> {
  return {
    version: 3,
    settings: { registrationOpen: true },
    latestSeq: 3,
    commit: 9,
    users: [
      {
        id: 'u1',
        username: 'ann',
        passwordHash: 'h',
        isAdmin: true,
        isAuthor: true,
        createdAt: AT,
      },
    ],
    tokens: [
      { id: 't1', userId: 'u1', tokenHash: 'x', device: 'd', createdAt: AT, lastUsedAt: AT },
    ],
    posts: [
      {
        id: 'p1',
        authorId: 'u1',
        title: 'T',
        body: 'B',
        excerpt: 'E',
        createdAt: AT,
        updatedAt: AT,
        source: { feedId: 'f1', feedTitle: 'F', url: 'https://example.org/1' },
      },
    ],
    likes: { p1: [0, 'gone-user'] },
    notifiedUnlikes: { p1: ['gone-user'] },
    subscriptions: { u1: [[0, null]] },
    readState: { u1: { cursor: 1, above: [3] } },
    feeds: [
      {
        id: 'f1',
        url: 'https://example.org/feed',
        title: 'F',
        addedBy: 'u1',
        createdAt: AT,
        status: 'failing',
        lastError: 'timeout',
        failures: 2,
        lastPolledAt: AT,
        nextPollAt: AT,
        etag: '"e"',
        lastModified: 'yesterday',
        claimedUntil: AT,
      },
    ],
    feedEntriesSeen: { f1: ['k1', 'k2'] },
    events: {
      strings: ['u1', 'p1', 'T', 'ann'],
      seq: [1, 3],
      id: 'e1e3',
      idWidth: 2,
      type: [0, 2],
      createdAt: [Date.parse(AT), -1],
      audience: [-1, 0],
      actor: [0, 0],
      post: [1, 1],
      postTitle: [2, 2],
      actorName: [3, 3],
      extras: [[3, { url: 'https://example.org/a', text: 'A', createdAt: AT }]],
    },
  };
}

/** The document with the value at `path` set (or removed, for undefined: JSON drops it). */
function withValue(path: (string | number)[], value: unknown): unknown {
  const document = fullDocument();
  let at: Record<string | number, unknown> = document;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  at[last] = value;
  return JSON.parse(JSON.stringify(document));
}

/** A JSON key (with a JSON value) added at the front of the object at `path`. */
function withKey(path: string[], key: string, value = '"x"'): unknown {
  const marker = '"__marker__":0';
  const document = fullDocument();
  let at = document;
  for (const name of path) at = at[name] as Record<string, unknown>;
  Object.assign(at, { __marker__: 0 });
  // Written into the text, so that JSON.parse makes `__proto__` an own key as a file would.
  return JSON.parse(JSON.stringify(document).replace(marker, `"${key}":${value}`));
}

const BAD: [string, unknown][] = [
  ['a field too many', withKey([], 'extra')],
  ['a settings field too many', withKey(['settings'], 'extra')],
  ['no settings', withValue(['settings'], undefined)],
  ['latestSeq below 0', withValue(['latestSeq'], -1)],
  ['latestSeq not whole', withValue(['latestSeq'], 1.5)],
  ['latestSeq past the safe integers', withValue(['latestSeq'], 2 ** 60)],
  ['latestSeq a string', withValue(['latestSeq'], '3')],
  ['commit a string', withValue(['commit'], 'x')],
  ['users not a list', withValue(['users'], 'nobody')],
  ['a user time that is not a timestamp', withValue(['users', 0, 'createdAt'], 'today')],
  ['a token field too many', withValue(['tokens', 0, 'extra'], 'x')],
  ['posts not a list', withValue(['posts'], {})],
  ['a post without a body', withValue(['posts', 0, 'body'], undefined)],
  ['a post excerpt that is a number', withValue(['posts', 0, 'excerpt'], 1)],
  ['a post updated at no timestamp', withValue(['posts', 0, 'updatedAt'], '2026-11-01')],
  ['a post source field too many', withValue(['posts', 0, 'source', 'extra'], 'x')],
  ['a post source without its url', withValue(['posts', 0, 'source', 'url'], undefined)],
  ['a post source that is a string', withValue(['posts', 0, 'source'], 'f1')],
  ['a field named like a member of every object', withKey(['posts', '0'], 'constructor')],
  ['likes a list', withValue(['likes'], [])],
  ['likers not a list', withValue(['likes', 'p1'], 0)],
  ['a liker below 0', withValue(['likes', 'p1'], [-1])],
  ['a liker not whole', withValue(['likes', 'p1'], [0.5])],
  ['a liker that is true', withValue(['notifiedUnlikes', 'p1'], [true])],
  ['a span of one seq', withValue(['subscriptions', 'u1'], [[1]])],
  ['a span of three', withValue(['subscriptions', 'u1'], [[1, 2, 3]])],
  ['a span from below 0', withValue(['subscriptions', 'u1'], [[-1, null]])],
  ['subscriptions not a record', withValue(['subscriptions'], [])],
  ['a read cursor below 0', withValue(['readState', 'u1', 'cursor'], -1)],
  ['a read seq that is a string', withValue(['readState', 'u1', 'above'], ['3'])],
  ['a read state field too many', withValue(['readState', 'u1', 'extra'], 1)],
  ['a read state without its cursor', withValue(['readState', 'u1', 'cursor'], undefined)],
  ['feeds not a list', withValue(['feeds'], {})],
  ['a feed status not known', withValue(['feeds', 0, 'status'], 'broken')],
  ['a feed failing -1 times', withValue(['feeds', 0, 'failures'], -1)],
  ['a feed failing 1.5 times', withValue(['feeds', 0, 'failures'], 1.5)],
  ['a feed without its next poll', withValue(['feeds', 0, 'nextPollAt'], undefined)],
  ['a feed claimed until no timestamp', withValue(['feeds', 0, 'claimedUntil'], 'later')],
  ['a seen key that is a number', withValue(['feedEntriesSeen', 'f1'], [1])],
  ['no events', withValue(['events'], undefined)],
  ['an events field too many', withValue(['events', 'extra'], [])],
  ['events without strings', withValue(['events', 'strings'], undefined)],
  ['a string that is a number', withValue(['events', 'strings'], [1])],
  ['a seq of 0', withValue(['events', 'seq'], [0, 3])],
  ['a seq that is a string', withValue(['events', 'seq'], ['1', 3])],
  ['ids that are a number', withValue(['events', 'id'], 13)],
  ['ids in a list with a number', withValue(['events', 'id'], ['e1', 3])],
  ['an id width of 0', withValue(['events', 'idWidth'], 0)],
  ['an event type past the types', withValue(['events', 'type'], [0, 3])],
  ['an event time past a Date', withValue(['events', 'createdAt'], [9e15, 0])],
  ['an event time not whole', withValue(['events', 'createdAt'], [0.5, 0])],
  ['an audience below -1', withValue(['events', 'audience'], [-2, 0])],
  ['an actor below 0', withValue(['events', 'actor'], [-1, 0])],
  ['a post that is a string', withValue(['events', 'post'], ['p1', 1])],
  ['a title that is null', withValue(['events', 'postTitle'], [null, 2])],
  ['a name below 0', withValue(['events', 'actorName'], [3, -1])],
  ['extras not a list', withValue(['events', 'extras'], {})],
  ['an extra of seq 0', withValue(['events', 'extras'], [[0, {}]])],
  ['an extra of three', withValue(['events', 'extras'], [[3, {}, 1]])],
  ['an extra field not known', withValue(['events', 'extras'], [[3, { title: 'x' }]])],
  ['an extra time not a timestamp', withValue(['events', 'extras'], [[3, { createdAt: 'x' }]])],
  ['an extra url that is a number', withValue(['events', 'extras'], [[3, { url: 1 }]])],
];

const OPTIONAL = [
  ['commit'],
  ['feeds'],
  ['feedEntriesSeen'],
  ['tokens', 0, 'lastUsedAt'],
  ['posts', 0, 'excerpt'],
  ['posts', 0, 'source'],
  ['feeds', 0, 'lastError'],
  ['feeds', 0, 'lastPolledAt'],
  ['feeds', 0, 'etag'],
  ['feeds', 0, 'lastModified'],
  ['feeds', 0, 'claimedUntil'],
  ['events', 'idWidth'],
  ['events', 'extras', 0, 1, 'url'],
];

function optionalFields(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => field instanceof z.ZodOptional)
    .map(([name]) => name)
    .sort();
}

function checkedFields(checks: Record<string, unknown>): { all: string[]; optional: string[] } {
  const optional = Object.entries(checks)
    .filter(([, check]) =>
      typeof check === 'string' ? check.endsWith('?') : (check as { optional?: boolean }).optional,
    )
    .map(([name]) => name);
  return { all: Object.keys(checks).sort(), optional: optional.sort() };
}

describe("the open's quick check of a version 3 file", () => {
  it('names every field of the schemas, optional where they have it optional', () => {
    const pairs: [string, Record<string, unknown>, z.ZodObject][] = [
      ['the document', DOCUMENT_CHECKS, DocumentSchema],
      ['events', EVENT_COLUMN_CHECKS, EventColumnsSchema],
      ['a post', POST_FIELDS, PostSchema],
      ['a feed', FEED_FIELDS, FeedSchema],
    ];
    for (const [name, checks, schema] of pairs) {
      const { all, optional } = checkedFields(checks);
      assert.deepEqual(all, Object.keys(schema.shape).sort(), name);
      assert.deepEqual(optional, optionalFields(schema), `${name}: the optional fields`);
    }
  });

  it('passes a document with every field, which the schema returns unchanged', () => {
    const document = fullDocument();
    assert.equal(isQuickDocument(document), true);
    assert.deepEqual(DocumentSchema.parse(document), document);
  });

  it('passes it without each optional field, as the schema does', () => {
    for (const path of OPTIONAL) {
      const document = withValue(path, undefined);
      assert.equal(isQuickDocument(document), true, path.join('.'));
      assert.equal(DocumentSchema.safeParse(document).success, true, path.join('.'));
    }
  });

  for (const [name, document] of BAD) {
    it(`refuses ${name}, which the schema refuses too`, () => {
      assert.equal(isQuickDocument(document), false, 'the quick check passed it');
      assert.equal(DocumentSchema.safeParse(document).success, false, 'the schema passed it');
    });
  }

  it('leaves a record with a __proto__ key to the schema, whatever it holds', () => {
    const cases: [string, string][] = [
      ['likes', '[]'],
      ['subscriptions', '[]'],
      ['readState', '{"cursor":0,"above":[]}'],
      ['feedEntriesSeen', '[]'],
    ];
    for (const [field, value] of cases) {
      assert.equal(isQuickDocument(withKey([field], '__proto__', value)), false, field);
    }
  });
});
