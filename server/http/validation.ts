/** Parses request bodies, queries and params with the contract's zod schemas. */
import type { z } from 'zod';
import { describeIssues } from '../../contract/wire.js';
import { DomainError } from '../domain/errors.js';

export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  if (input === undefined) {
    throw new DomainError(
      'invalid_payload',
      `Send ${what} as JSON (Content-Type: application/json).`,
    );
  }
  const result = schema.safeParse(input);
  if (!result.success) throw new DomainError('invalid_payload', describeIssues(result.error));
  return result.data;
}
