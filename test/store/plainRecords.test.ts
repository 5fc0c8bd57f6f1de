/**
 * The open's quick check of users and tokens (plainRecords.ts) must never pass what their schema
 * refuses. Its field lists are written beside the schemas (document.ts); the compiler holds their
 * names to the schemas' own, and this holds each field's kind and optionality to them, value by
 * value, so that a field changed in a schema and not in its list fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  TOKEN_FIELDS,
  TokenSchema,
  USER_FIELDS,
  UserSchema,
} from '../../server/store/lowdb/document.js';
import {
  isPlainRecords,
  type FieldKind,
  type FieldSpec,
} from '../../server/store/lowdb/plainRecords.js';

/** Values of each kind, and values near them that are not of it. */
const SAMPLES: Record<FieldKind, { good: unknown[]; bad: unknown[] }> = {
  string: { good: ['', 'x', '2026-11-01T10:00:00Z'], bad: [1, true, null, ['x'], { x: 1 }] },
  boolean: { good: [true, false], bad: ['true', 0, 1, null] },
  timestamp: {
    good: ['2026-11-01T10:00:00.000Z', '2026-11-01T10:00:00Z', '2026-11-01T10:00:00.123456Z'],
    bad: ['', '2026-11-01', '2026-11-01 10:00:00Z', '2026-11-01T10:00:00+01:00', 1, null],
  },
};

function check(
  name: string,
  schema: z.ZodObject,
  fields: Readonly<Record<string, FieldSpec>>,
  valid: Record<string, unknown>,
): void {
  describe(name, () => {
    const quick = isPlainRecords(fields);
    const both = (record: Record<string, unknown>): [boolean, boolean] => [
      quick([record]),
      schema.safeParse(record).success,
    ];

    it('names every field of the schema, optional where the schema has it optional', () => {
      assert.deepEqual(Object.keys(fields).sort(), Object.keys(schema.shape).sort());
      for (const [field, spec] of Object.entries(fields)) {
        const optional = schema.shape[field] instanceof z.ZodOptional;
        assert.equal(spec.endsWith('?'), optional, field);
      }
    });

    it('passes a valid record, which the schema passes and returns unchanged', () => {
      assert.deepEqual(both(valid), [true, true]);
      assert.deepEqual(schema.parse(valid), valid);
    });

    it('passes a value of each field only where the schema does too', () => {
      for (const [field, spec] of Object.entries(fields)) {
        const kind = spec.replace('?', '') as FieldKind;
        for (const value of SAMPLES[kind].good) {
          assert.deepEqual(both({ ...valid, [field]: value }), [true, true], `${field}: ${value}`);
        }
        for (const value of SAMPLES[kind].bad) {
          const [quickly, fully] = both({ ...valid, [field]: value });
          assert.equal(quickly, false, `${field}: ${JSON.stringify(value)}`);
          assert.equal(fully, false, `the schema too, ${field}: ${JSON.stringify(value)}`);
        }
        const without = Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));
        const optional = spec.endsWith('?');
        assert.deepEqual(both(without), [optional, optional], `without ${field}`);
      }
    });

    it('refuses a field the schema does not have, whatever its name', () => {
      for (const extra of ['extra', 'constructor', 'toString', '__proto__']) {
        const record = JSON.parse(
          JSON.stringify({ ...valid }).replace(/^\{/, `{"${extra}":"x",`),
        ) as Record<string, unknown>;
        assert.deepEqual(both(record), [false, false], extra);
      }
    });
  });
}

check('users', UserSchema, USER_FIELDS, {
  id: 'u1',
  username: 'ann',
  passwordHash: 'scrypt$x$y',
  isAdmin: false,
  isAuthor: true,
  createdAt: '2026-11-01T10:00:00.000Z',
});

check('tokens', TokenSchema, TOKEN_FIELDS, {
  id: 't1',
  userId: 'u1',
  tokenHash: 'h',
  device: 'phone',
  createdAt: '2026-11-01T10:00:00.000Z',
  lastUsedAt: '2026-11-02T10:00:00.000Z',
});
