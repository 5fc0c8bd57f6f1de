#!/usr/bin/env node
/**
 * The `tidings-server` entry point. For the serve command it binds the port first, before the
 * server's modules load (about half a second of CPU) and its store opens, and holds what connects
 * meanwhile instead of refusing it (heldPort.ts); then it loads and runs the command
 * (runCommand.ts). Only node:net, zod and the command line's parser load before the bind.
 */
import { parseCommandLine, PROGRAM } from './config.js';
import { holdPort, type HeldPort } from './heldPort.js';

/** The serve command's port, held; undefined for any other command or a command line in error. */
async function holdServePort(): Promise<HeldPort | undefined> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env);
  } catch {
    // runCommand parses it again and explains the error in its own words.
    return undefined;
  }
  if (command.kind !== 'serve') return undefined;
  return holdPort(command.config.host, command.config.port);
}

holdServePort()
  .then(async (held) => {
    const { runCommand } = await import('./runCommand.js');
    runCommand(held);
  })
  .catch((error: unknown) => {
    // Only a broken install gets here (a module that does not load): still one line, not a trace.
    process.stderr.write(
      `${PROGRAM}: cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
