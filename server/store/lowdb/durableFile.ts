/**
 * Durability on power loss (issue 14). `kill9`: a write is acknowledged once the kernel has it,
 * which survives the server process dying but not the machine. `power` (the default): a write is
 * acknowledged once it is on stable storage, like SQLite and PostgreSQL: the journal is
 * `fdatasync`ed once per group commit (whatever the number of changes in it), and a file that
 * replaces another by rename is `fsync`ed first and its directory after, so the rename itself
 * survives too.
 */
import { copyFile, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

export const DURABILITY_MODES = ['power', 'kill9'] as const;
export type Durability = (typeof DURABILITY_MODES)[number];

/** Makes the directory's entries (a rename, a new file) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A lowdb text adapter that writes a temp file, `fsync`s it, renames it over the target and
 * `fsync`s the directory: what steno (lowdb's TextFile) does, plus the two syncs. The temp file
 * has steno's name, so the data directory looks the same in either mode.
 */
export class DurableTextFile implements Adapter<string> {
  readonly #temp: string;

  constructor(readonly path: string) {
    this.#temp = tempPathOf(path);
  }

  async read(): Promise<string | null> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(text: string): Promise<void> {
    const handle = await open(this.#temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.#temp, this.path);
    await syncDirectory(dirname(this.path));
  }
}

/** Where a file is written before it replaces `path` (steno's name, so both modes look alike). */
export function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`);
}

/**
 * Replaces `path` with `bytes` the way DurableTextFile does (temp file, then rename), with the
 * syncs only in `power` mode. `beforeRename` runs once the temp file is complete (a test seam).
 */
export async function replaceFile(
  path: string,
  bytes: Uint8Array,
  durability: Durability,
  beforeRename?: () => void,
): Promise<void> {
  const temp = tempPathOf(path);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      if (durability === 'power') await handle.sync();
    } finally {
      await handle.close();
    }
    beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    // A full disk keeps the half-written temp file from holding on to the space.
    await rm(temp, { force: true, recursive: false }).catch(() => undefined);
    throw error;
  }
  if (durability === 'power') await syncDirectory(dirname(path));
}

/** Copies `from` over `to` by temp file and rename (the backup), synced in `power` mode. */
export async function copyFileDurably(
  from: string,
  to: string,
  durability: Durability,
): Promise<void> {
  const temp = tempPathOf(to);
  await copyFile(from, temp);
  if (durability === 'power') {
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await rename(temp, to);
  if (durability === 'power') await syncDirectory(dirname(to));
}
