/**
 * Device tokens: 32 random bytes, base64url. Only their sha256 is stored, so a leaked data file
 * does not hand out sessions. sha256 (not a slow KDF) is right here: the token has 256 bits of
 * entropy, so there is nothing to brute-force.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
