/**
 * How big the reliability checks run. `npm test` runs the bounded form (a few minutes on two
 * cores); `npm run test:reliability` sets TIDINGS_RELIABILITY=full for the figures in
 * docs/RELIABILITY.md. Each figure a test measures is printed as one `figure:` line, so the
 * numbers in the docs can be traced to a run.
 */
export const FULL = process.env.TIDINGS_RELIABILITY === 'full';

/** The bounded value in `npm test`, the full one in `npm run test:reliability`. */
export function scaled(bounded: number, full: number): number {
  return FULL ? full : bounded;
}

export function reportFigure(name: string, value: string | number): void {
  console.log(`figure: ${name} = ${value} (${FULL ? 'full' : 'bounded'} run)`);
}
