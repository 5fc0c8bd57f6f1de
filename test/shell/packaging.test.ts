/**
 * Packaging: electron-builder turns the built app into an unpacked Linux app (`--linux dir`) with a
 * stand-in Electron distribution, which works offline. The app.asar must hold the built main
 * process, preload and inbox window, keytar's native module must sit outside it, and nothing a
 * user does not run (tests, sources, source maps, dev dependencies) may be inside.
 *
 * The stand-in is a directory holding an executable named `electron`: for a directory that is not a
 * release zip, electron-builder copies it as the unpacked Electron and renames that executable to
 * the app's (see app-builder-lib's ElectronFramework.unpack).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { listPackage } from '@electron/asar';
import { load as parseYaml } from 'js-yaml';
import { APP_ID } from '../../main/electron/appIdentity.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BUILDER = join(ROOT, 'node_modules', '.bin', 'electron-builder');
const BUILD_LIMIT_MS = 300_000;

let workDir = '';
let appDir = '';
let asarFiles: string[] = [];
let builderOutput = '';

before(async () => {
  for (const built of [
    'dist/main/electron/app.js',
    'dist/main/electron/preload.cjs',
    'dist/renderer/index.html',
  ]) {
    assert.ok(
      existsSync(join(ROOT, built)),
      `${built} is missing: run node scripts/build.mjs first`,
    );
  }
  workDir = await mkdtemp(join(tmpdir(), 'tidings-pack-'));
  const standIn = join(workDir, 'electron-dist');
  await mkdir(standIn);
  await writeFile(join(standIn, 'electron'), '#!/bin/sh\necho "stand-in for Electron"\n');
  await chmod(join(standIn, 'electron'), 0o755);
  const out = join(workDir, 'out');

  const started = performance.now();
  const child = spawn(
    BUILDER,
    [
      '--linux',
      'dir',
      '--config',
      'electron-builder.yml',
      `-c.electronDist=${standIn}`,
      `-c.directories.output=${out}`,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
  );
  child.stdout.on('data', (chunk: Buffer) => (builderOutput += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (builderOutput += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_LIMIT_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // A measurement for the report, not an assertion: packaging time depends on the machine.
  console.log(`electron-builder --linux dir took ${seconds} s`);
  assert.equal(code, 0, `electron-builder failed:\n${builderOutput.slice(-3000)}`);

  appDir = join(out, 'linux-unpacked');
  asarFiles = listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false });
});

after(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

test('the unpacked app has the Tidings executable and its app.asar', async () => {
  const entries = await readdir(appDir);
  assert.ok(entries.includes('tidings'), `no "tidings" executable in ${entries.join(', ')}`);
  assert.ok(entries.includes('resources'));
});

test('app.asar holds the built main process, preload, inbox window, contract and server', () => {
  for (const file of [
    '/package.json',
    '/dist/main/electron/app.js',
    '/dist/main/electron/preload.cjs',
    '/dist/main/core/index.js',
    '/dist/renderer/index.html',
    '/dist/renderer/app.js',
    '/dist/contract/wire.js',
    '/dist/server/cli.js',
    '/dist/server/bundle/cli.js',
    '/dist/main/assets/tray/light/tray-1.png',
    '/dist/main/assets/tray/light/tray-1@2x.png',
    '/dist/main/assets/tray/any/tray-1.png',
    '/node_modules/electron-updater/package.json',
  ]) {
    assert.ok(asarFiles.includes(file), `${file} is not in app.asar`);
  }
});

test("keytar's native module is unpacked next to app.asar, where the OS can load it", () => {
  const unpacked = join(
    appDir,
    'resources',
    'app.asar.unpacked',
    'node_modules',
    'keytar',
    'build',
    'Release',
    'keytar.node',
  );
  assert.ok(existsSync(unpacked), `${unpacked} is missing`);
});

test('nothing a user does not run is inside: no tests, sources, source maps or dev dependencies', async () => {
  const ours = asarFiles.filter((file) => !file.startsWith('/node_modules/'));
  const unwanted = ours.filter(
    (file) =>
      /\.(ts|mts|cts|map|tsbuildinfo)$/.test(file) ||
      /^\/(test|src|scripts|renderer|server|main|contract|docs|assets|bench|\.ci|node_modules\/\.bin)(\/|$)/.test(
        file,
      ) ||
      /\.test\./.test(file) ||
      /^\/(tsconfig.*\.json|electron-builder\.yml|eslint\.config\.js|package-lock\.json|README\.md)$/.test(
        file,
      ),
  );
  assert.deepEqual(unwanted, [], 'only dist/ and package.json of our own files');
  assert.deepEqual(
    asarFiles.filter((file) => file.endsWith('.map')),
    [],
    'no source maps anywhere',
  );

  // package-lock marks every package that only development needs with "dev": true.
  const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const packaged = new Set(
    asarFiles
      .map((file) => /^\/(node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined && !name.endsWith('/@types')),
  );
  const devOnly = [...packaged].filter((name) => lock.packages[name]?.dev === true);
  assert.deepEqual(devOnly, [], 'development-only packages were packaged');
  for (const name of [
    'electron',
    'electron-builder',
    'typescript',
    'playwright',
    'esbuild',
    'tsx',
    'eslint',
  ]) {
    assert.ok(!packaged.has(`node_modules/${name}`), `${name} must not be packaged`);
  }
  assert.ok(packaged.has('node_modules/keytar') && packaged.has('node_modules/socket.io-client'));
});

interface BuilderConfig {
  appId?: string;
  productName?: string;
  linux?: { executableName?: string; syncDesktopName?: boolean };
  deb?: { depends?: string[] };
  publish?: { provider: string; url?: string }[];
}

/** The configuration the build above used (it extends nothing, so the file is all of it). */
async function effectiveConfig(): Promise<BuilderConfig> {
  const text = await readFile(join(ROOT, 'electron-builder.yml'), 'utf8');
  return parseYaml(text) as BuilderConfig;
}

test('the .deb depends on at least electron-builder’s default list (a `depends:` would replace it)', async () => {
  // The defaults come from electron-builder itself, so a new release's list is checked too.
  const fpm = createRequire(import.meta.url)('app-builder-lib/out/targets/FpmTarget.js') as {
    default: { prototype: { getDefaultDepends(target: string): string[] } };
  };
  const defaults = fpm.default.prototype.getDefaultDepends('deb');
  assert.ok(
    defaults.includes('libgtk-3-0') && defaults.includes('libnss3'),
    'the defaults look wrong',
  );
  const config = await effectiveConfig();
  const depends = config.deb?.depends ?? defaults;
  for (const needed of [...defaults, 'libsecret-1-0', 'libnotify4']) {
    assert.ok(depends.includes(needed), `the .deb would not depend on ${needed}`);
  }
});

test('the app is "Tidings" with the id Windows files its toasts under', async () => {
  const config = await effectiveConfig();
  assert.equal(config.appId, APP_ID, 'app.setAppUserModelId uses the same id as the installer');
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    productName?: string;
    desktopName?: string;
  };
  // Electron names the app (menus, notifications, the userData folder) from productName.
  assert.equal(pkg.productName, 'Tidings');
  const packaged = JSON.parse(
    (await import('@electron/asar'))
      .extractFile(join(appDir, 'resources', 'app.asar'), 'package.json')
      .toString(),
  ) as { productName?: string };
  assert.equal(packaged.productName, 'Tidings');
});

test('Linux: the .desktop file is named after desktopName, so the launcher badge finds the app', async () => {
  const config = await effectiveConfig();
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    desktopName?: string;
  };
  assert.equal(pkg.desktopName, `${config.linux?.executableName}.desktop`);
  assert.equal(
    config.linux?.syncDesktopName,
    true,
    'the entry and StartupWMClass follow desktopName',
  );
});

test('a publish feed is configured for electron-updater (generic HTTPS first)', async () => {
  const config = await effectiveConfig();
  const first = config.publish?.[0];
  assert.equal(first?.provider, 'generic');
  assert.match(first?.url ?? '', /^https:\/\//);
});
