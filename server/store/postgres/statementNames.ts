/**
 * Names for the store's statements, so PostgreSQL parses and analyses each one once per connection
 * instead of once per call. pg sends an unnamed statement through Parse, Bind and Execute every
 * time; a named one is parsed on a connection's first use and only bound and run after that
 * (pg keeps, per connection, which names it has prepared). A like is two such statements on a
 * busy pool; named, PostgreSQL's CPU a like fell to 0.82× (docs/BENCHMARKS.md, "Named statements
 * on PostgreSQL").
 *
 * The name comes from the text alone, so every node and every connection agrees on it and two
 * texts can never share one (pg refuses a name reused with another text). Only statements with
 * parameters are named: one without goes by the simple protocol, which may carry several
 * statements in one message (commitWith) and has nothing to bind. The number of texts named is
 * bounded, so a text built at run time (there is none today) could not grow every connection's
 * set of prepared statements without end; past the bound a text runs unnamed, as before.
 */
import { createHash } from 'node:crypto';

/** Far more than the store's own texts (about 50), far fewer than would weigh on a backend. */
export const MAX_NAMED_STATEMENTS = 200;

/** A query as pg takes it: with a name when it is to be prepared once per connection. */
export interface StatementConfig {
  text: string;
  values?: unknown[];
  name?: string;
}

export interface StatementNamer {
  /** The query config for `text` and `values`: named when it has values and room remains. */
  configFor(text: string, values: unknown[] | undefined): StatementConfig;
  /** How many texts have names (for the test of the bound). */
  named(): number;
}

/** 128 bits of SHA-256: no two of a few hundred texts collide; well inside NAMEDATALEN (63). */
function nameOf(text: string): string {
  return `tidings_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

export function createStatementNamer(limit = MAX_NAMED_STATEMENTS): StatementNamer {
  const names = new Map<string, string>();
  return {
    configFor(text, values) {
      if (values === undefined || values.length === 0) return { text, values };
      let name = names.get(text);
      if (name === undefined) {
        if (names.size >= limit) return { text, values };
        name = nameOf(text);
        names.set(text, name);
      }
      return { text, values, name };
    },
    named: () => names.size,
  };
}
