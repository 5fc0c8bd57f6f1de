/**
 * A quick check of records against the fields of a strict zod object, for the data file's ten
 * thousand users and tokens and the rest of its records (quickDocument.ts): zod checks each record
 * through its schema and builds a copy of it (0.1–0.2 s of an open at the likes data, and the
 * copies are garbage at once).
 *
 * It only ever says yes to less than the schema does: a record it passes has exactly the fields
 * named (the optional ones may be absent), each of the kind named, so the schema would pass it too
 * and return an equal copy; anything else is left to the schema, which says why it is wrong.
 */
import { z } from 'zod';

/** What a field holds: a string, a boolean or a timestamp (z.iso.datetime()). */
export type FieldKind = 'string' | 'boolean' | 'timestamp';

/** A field's kind, with '?' when it may be absent. */
export type FieldSpec = FieldKind | `${FieldKind}?`;

/** The pattern z.iso.datetime() checks one value at a time. */
export const TIMESTAMP_PATTERN = z.core.regexes.datetime({});

const IS: Record<FieldKind, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  timestamp: (value) => typeof value === 'string' && TIMESTAMP_PATTERN.test(value),
};

/** A field whose value a kind does not describe (a nested record, a number, an enum). */
export interface FieldCheck {
  is: (value: unknown) => boolean;
  optional?: boolean;
}

/** Whether `value` is a record with exactly these fields (optional ones may be absent). */
export function isPlainRecord(
  fields: Readonly<Record<string, FieldSpec | FieldCheck>>,
): (value: unknown) => boolean {
  // A Map, so that a field named like an Object.prototype member ("constructor") is not found.
  const kinds = new Map<string, { is: (value: unknown) => boolean; optional: boolean }>();
  let required = 0;
  for (const [name, spec] of Object.entries(fields)) {
    const check =
      typeof spec === 'string'
        ? {
            is: IS[(spec.endsWith('?') ? spec.slice(0, -1) : spec) as FieldKind],
            optional: spec.endsWith('?'),
          }
        : { is: spec.is, optional: spec.optional ?? false };
    kinds.set(name, check);
    if (!check.optional) required += 1;
  }
  return (value: unknown): boolean => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    let present = 0;
    // for-in rather than Object.keys, which makes an array per record (ten thousand users). A
    // record JSON.parse made has only its own keys; an inherited one would not be a field here.
    for (const name in value) {
      const kind = kinds.get(name);
      if (kind === undefined || !kind.is((value as Record<string, unknown>)[name])) return false;
      if (!kind.optional) present += 1;
    }
    return present === required;
  };
}

/** Whether every element of `value` is a record with exactly these fields, of these kinds. */
export function isPlainRecords(
  fields: Readonly<Record<string, FieldSpec | FieldCheck>>,
): (value: unknown) => boolean {
  const isRecord = isPlainRecord(fields);
  return (value) => Array.isArray(value) && value.every(isRecord);
}
