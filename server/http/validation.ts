/** Parses request bodies, queries and params with the contract's zod schemas. */
import type { z } from 'zod';
import { describeIssues, hasInvalidText } from '../../contract/wire.js';
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
  if (!result.success) {
    // Readable text that may not be shown as it is (a bidi override in a title) is a 422, apart
    // from malformed requests, so a client can tell the user what to change.
    const code = hasInvalidText(result.error) ? 'invalid_text' : 'invalid_payload';
    throw new DomainError(code, describeIssues(result.error));
  }
  return result.data;
}
