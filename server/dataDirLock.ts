/**
 * One process per data directory: a server or an admin command holds `tidings.pid` (its pid) in
 * the data dir while it runs. A lock whose process is gone (after `kill -9` or a crash) is stale
 * and is taken over.
 */
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './dataDirPermissions.js';

export const LOCK_FILE_NAME = 'tidings.pid';

/** The data dir cannot be used; the message says why in one line. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

/** Another live process holds the lock: the admin CLI then talks to it instead. */
export class DataDirInUseError extends DataDirError {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`another Tidings process (pid ${pid}) is using ${dir}; stop it first`);
  }
}

export interface DataDirLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(error: unknown, dir: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `cannot write to the data directory ${dir}: permission denied`;
    case 'EROFS':
      return `cannot write to the data directory ${dir}: the file system is read-only`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `the data directory ${dir} is not a directory`;
    case 'ENOSPC':
      return `cannot write to the data directory ${dir}: the disk is full`;
    default:
      return `cannot use the data directory ${dir}: ${(error as Error).message}`;
  }
}

export function lockDataDir(dir: string): DataDirLock {
  const file = join(dir, LOCK_FILE_NAME);
  try {
    // Owner only (server/dataDirPermissions.ts): it holds password and token hashes.
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    throw new DataDirError(describe(error, dir));
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', PRIVATE_FILE_MODE);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DataDirError(describe(error, dir));
      }
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (isRunning(holder)) {
        throw new DataDirInUseError(dir, holder);
      }
      unlinkSync(file);
    }
  }
  throw new DataDirError(`could not lock the data directory ${dir}`);
}
