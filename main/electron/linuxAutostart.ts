/**
 * Start at login on Linux, where Electron's setLoginItemSettings does nothing: an XDG autostart
 * entry (~/.config/autostart/tidings.desktop) that desktops run at login. No Electron import, so
 * the test writes and removes a real entry in a temp config directory.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const AUTOSTART_FILE = 'tidings.desktop';

/** Quotes one Exec argument as the Desktop Entry spec asks: in "", with " ` $ \ escaped. */
function quoteExecArgument(argument: string): string {
  return `"${argument.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** The .desktop entry that starts the app (the executable, plus the app path in development). */
export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Tidings',
    'Comment=A blog’s notifications on your desktop',
    `Exec=${command.map(quoteExecArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the entry. `configHome` is $XDG_CONFIG_HOME or ~/.config. */
export async function setLinuxAutostart(
  enabled: boolean,
  options: { configHome: string; command: readonly string[] },
): Promise<void> {
  const dir = join(options.configHome, 'autostart');
  const file = join(dir, AUTOSTART_FILE);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(file, autostartEntry(options.command));
}
