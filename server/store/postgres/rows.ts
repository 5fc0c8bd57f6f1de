/**
 * The query shapes every role module repeats: one row mapped to a record (or undefined), all rows
 * mapped, and "did this statement change exactly one row".
 */
import type pg from 'pg';
import type { Queryable } from './database.js';

export async function firstRow<R extends pg.QueryResultRow, T>(
  db: Queryable,
  sql: string,
  params: unknown[],
  map: (row: R) => T,
): Promise<T | undefined> {
  const { rows } = await db.query<R>(sql, params);
  return rows[0] && map(rows[0]);
}

export async function allRows<R extends pg.QueryResultRow, T>(
  db: Queryable,
  sql: string,
  params: unknown[],
  map: (row: R) => T,
): Promise<T[]> {
  const { rows } = await db.query<R>(sql, params);
  return rows.map(map);
}

export async function affectsOneRow(
  db: Queryable,
  sql: string,
  params: unknown[],
): Promise<boolean> {
  const { rowCount } = await db.query(sql, params);
  return rowCount === 1;
}

/** A nullable column as an optional property: absent rather than undefined. */
export const optional = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
  value === null ? {} : ({ [key]: value } as { [P in K]: V });

/** A nullable timestamp column as an optional ISO string property. */
export const optionalTime = <K extends string>(key: K, value: Date | null): { [P in K]?: string } =>
  optional(key, value === null ? null : value.toISOString());
