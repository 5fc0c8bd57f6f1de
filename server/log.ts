/**
 * The server's log: one line per message on stderr. Stack traces of unexpected errors go here,
 * never to a user.
 */
export interface Logger {
  info(message: string): void;
  /** Something the operator should change; the server carries on. */
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const line = (level: string, message: string) =>
    write(`${new Date().toISOString()} ${level} ${message}\n`);
  return {
    info: (message) => line('info', message),
    warn: (message) => line('warn', message),
    error: (message, error) => {
      const detail = error instanceof Error ? `: ${error.message}` : '';
      line('error', message + detail);
      if (error instanceof Error && error.stack) write(`${error.stack}\n`);
    },
  };
}
