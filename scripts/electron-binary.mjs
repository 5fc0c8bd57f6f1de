// Where Electron's binary is, without `require('electron')`: that require starts a download when
// the binary is missing, and the download cannot work on machines without GitHub access.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ELECTRON_PACKAGE = resolve(
  fileURLToPath(new URL('../node_modules/electron', import.meta.url)),
);

/** The executable's path if it exists, else null. ELECTRON_OVERRIDE_DIST_PATH wins, as in electron. */
export function findElectronBinary() {
  const pathFile = join(ELECTRON_PACKAGE, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? join(override, relative ?? 'electron')
    : relative
      ? join(ELECTRON_PACKAGE, 'dist', relative)
      : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

/** Runs electron's own installer (a download from GitHub) and returns what it printed on failure. */
export const ELECTRON_INSTALLER = join(ELECTRON_PACKAGE, 'install.js');
