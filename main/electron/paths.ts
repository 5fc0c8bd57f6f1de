/**
 * Where the built app's files are, relative to this module at dist/main/electron/. The same layout
 * holds inside the packaged app.asar, so no path depends on how the app was launched.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export const appPaths = {
  preload: join(here, 'preload.cjs'),
  rendererPage: join(here, '..', '..', 'renderer', 'index.html'),
  /** scripts/build.mjs copies assets/ here. */
  assets: join(here, '..', 'assets'),
  /** The bundled server's CLI (server/cli.ts, built). */
  serverCli: join(here, '..', '..', 'server', 'cli.js'),
} as const;

export const rendererPageUrl = pathToFileURL(appPaths.rendererPage).href;

export const assetPath = (relative: string): string => join(appPaths.assets, relative);
