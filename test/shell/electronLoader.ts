/**
 * Makes every `import 'electron'` in this process (app.js, electron-store, …) resolve to the
 * stand-in module, the same instance the test reads its records from. Call it before importing
 * the built app.
 */
import { register } from 'node:module';

const STAND_IN = new URL('./electronStandIn.ts', import.meta.url).href;

export function routeElectronToStandIn(): void {
  register(
    `data:text/javascript,${encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        return specifier === 'electron'
          ? { url: ${JSON.stringify(STAND_IN)}, shortCircuit: true }
          : next(specifier, context);
      }`,
    )}`,
  );
}

const UPDATER_STAND_IN = new URL('./electronUpdaterStandIn.ts', import.meta.url).href;

/**
 * Makes `import 'electron-updater'` resolve to its stand-in: the real one needs Electron's app,
 * net module and a packaged app-update.yml. Its feed-reading code is tested for real in
 * test/core/updates.test.ts; this checks only how the shell drives it.
 */
export function routeElectronUpdaterToStandIn(): void {
  register(
    `data:text/javascript,${encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        return specifier === 'electron-updater'
          ? { url: ${JSON.stringify(UPDATER_STAND_IN)}, shortCircuit: true }
          : next(specifier, context);
      }`,
    )}`,
  );
}
