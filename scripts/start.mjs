#!/usr/bin/env node
// `npm start`: builds, then launches the tray app in Electron. Electron's binary comes from GitHub
// on first use; where that download cannot happen, this says so in one line and exits non-zero
// (the server and the tests do not need the binary).
import { spawn, spawnSync } from 'node:child_process';
import { ELECTRON_INSTALLER, findElectronBinary } from './electron-binary.mjs';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let binary = findElectronBinary();
if (!binary) {
  // The installer prints a stack trace when offline; keep it for the one-line reason only.
  const install = spawnSync(process.execPath, [ELECTRON_INSTALLER], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  binary = findElectronBinary();
  if (!binary) {
    const output = `${install.stdout ?? ''}${install.stderr ?? ''}`;
    const reason =
      /^\w*Error: .*$/m.exec(output)?.[0] ?? (install.error ? install.error.message : 'no output');
    console.error(
      `Tidings: Electron's binary is not installed and could not be downloaded (${reason}); ` +
        'the server (npm run server), the demo (npm run demo) and the tests (npm test) work without it.',
    );
    process.exit(1);
  }
}

const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
