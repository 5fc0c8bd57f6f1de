/**
 * The test seam TIDINGS_TEST_HOLD_START=on stops a server's start just before it opens its store
 * (after the CLI has bound the port, heldPort.ts) until the process gets SIGUSR2, and says so on
 * stderr. test/server/heldStart.test.ts connects clients in that moment. Unset, it costs nothing.
 */
export function holdStartFromEnvironment(value: string | undefined): Promise<void> {
  if (value !== 'on') return Promise.resolve();
  return new Promise((resolve) => {
    process.once('SIGUSR2', () => resolve());
    process.stderr.write('test seam: the start is held until SIGUSR2\n');
  });
}
