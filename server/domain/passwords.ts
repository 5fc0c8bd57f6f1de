/**
 * Password hashing with scrypt (node:crypto). The parameters travel inside the stored hash
 * (`scrypt$log2N$r$p$salt$key`), so raising the cost later keeps old hashes verifiable.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_BYTES = 64;
const SALT_BYTES = 16;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
/** 2^15 with r=8 needs 32 MiB per hash: well above the usual minimum, cheap enough for a login. */
export const DEFAULT_LOG2_COST = 15;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function optionsFor(log2Cost: number, r: number, p: number): ScryptOptions {
  const N = 2 ** log2Cost;
  // Node refuses anything over 32 MiB by default; the memory scrypt needs is 128·N·r bytes.
  return { N, r, p, maxmem: 128 * N * r * 2 };
}

export async function hashPassword(
  password: string,
  log2Cost: number = DEFAULT_LOG2_COST,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, optionsFor(log2Cost, BLOCK_SIZE, PARALLELISM));
  return [
    'scrypt',
    log2Cost,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, log2Cost, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !log2Cost || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    optionsFor(Number(log2Cost), Number(r), Number(p)),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
