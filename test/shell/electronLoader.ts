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
