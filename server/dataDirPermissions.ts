/**
 * The data directory holds password hashes, token hashes and every post: only its
 * owner may read it. New directories are made 0700 and, with the process's umask at 077
 * (server/cli.ts), every file the server writes (snapshot, journal, backup, lock, temp files) is
 * 0600. A directory made before that (or by hand, under umask 022) is tightened at start, and the
 * log says so.
 */
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Owner only: the bits group and others must not have. */
const NOT_OWNER = 0o077;
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Takes group and other permissions away from the directory and the files in it. Returns what it
 * changed (or why it could not), as one line for the log, or undefined when all was already
 * private. Never throws: a directory it cannot change (someone else's) still serves.
 */
export function tightenDataDir(dir: string): string | undefined {
  try {
    return tighten(dir);
  } catch (error) {
    return (
      `could not make ${dir} private to its owner (${(error as Error).message}); ` +
      `it holds password and token hashes: run chmod -R go= ${dir}`
    );
  }
}

function tighten(dir: string): string | undefined {
  const changed: string[] = [];
  const dirMode = lstatSync(dir).mode & 0o777;
  if (dirMode & NOT_OWNER) {
    chmodSync(dir, PRIVATE_DIR_MODE);
    changed.push(`the directory (was ${dirMode.toString(8)})`);
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Symlinks and sockets are left alone: chmod would follow a link out of the directory.
    if (!entry.isFile()) continue;
    const path = join(dir, entry.name);
    const mode = lstatSync(path).mode & 0o777;
    if (mode & NOT_OWNER) {
      chmodSync(path, mode & ~NOT_OWNER & 0o777);
      changed.push(`${entry.name} (was ${mode.toString(8)})`);
    }
  }
  if (changed.length === 0) return undefined;
  return `made ${dir} private to its owner, as it holds password and token hashes: ${changed.join(', ')}`;
}
