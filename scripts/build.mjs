#!/usr/bin/env node
// Builds what runs: tsc emits the server, the Electron main process and the contract to dist/;
// esbuild bundles the browser-side code (the inbox window, the preload, the blog's page scripts),
// which cannot load Node-style modules, each listed once below, and the server with its packages
// (scripts/bundleServer.mjs), which then starts from a few files instead of about 700.
//
// Everything is built into a staging folder that replaces dist/ only when complete, so a server
// or test already running from dist/ never sees a half-built tree.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleServer } from './bundleServer.mjs';

const staging = `dist.staging-${process.pid}`;
const out = (path) => path.replace(/^dist\//, `${staging}/`);
rmSync(staging, { recursive: true, force: true });
const tsc = spawnSync(
  join('node_modules', '.bin', 'tsc'),
  ['-p', 'tsconfig.build.json', '--outDir', staging],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) {
  rmSync(staging, { recursive: true, force: true });
  process.exit(tsc.status ?? 1);
}

/** Bundles that exist only once their source does, so each part of the app can land on its own. */
const bundles = [
  {
    entryPoints: ['renderer/main.ts'],
    outfile: 'dist/renderer/app.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  {
    // The inbox window's preload. Sandboxed preloads cannot load ES modules: CommonJS, with
    // `electron` left to the preload's own require.
    entryPoints: ['main/electron/preload.ts'],
    outfile: 'dist/main/electron/preload.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
  },
  {
    // The blog's page script (live bell, liking without reload), socket.io-client included.
    entryPoints: ['server/web/client/main.ts'],
    outfile: 'dist/server/web/static/app.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
  },
];

for (const bundle of bundles) {
  if (!existsSync(bundle.entryPoints[0])) continue;
  await build({
    bundle: true,
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
    ...bundle,
    outfile: out(bundle.outfile),
  });
}

await bundleServer(staging);

/** Static files copied as they are (HTML, CSS, images), source → destination. */
const statics = [
  ['renderer/index.html', 'dist/renderer/index.html'],
  ['renderer/styles.css', 'dist/renderer/styles.css'],
  // Tray, overlay and app icons, next to the main process that loads them (see trayImages.ts).
  ['assets', 'dist/main/assets'],
  ['server/web/static', 'dist/server/web/static'],
];
for (const [from, to] of statics) {
  if (existsSync(from)) cpSync(from, out(to), { recursive: true });
}

rmSync('dist', { recursive: true, force: true });
renameSync(staging, 'dist');
