/**
 * Asks for a password on a terminal without showing it: the terminal goes into raw mode, so
 * nothing typed is echoed (not even as stars, which would give its length away), and Enter ends
 * it. Ctrl-C or Ctrl-D on an empty line cancel. Backspace works; other control keys are ignored.
 */
import type { ReadStream } from 'node:tty';

export class PromptCancelled extends Error {
  override readonly name = 'PromptCancelled';
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\x7f', '\b']);
const CTRL_C = '\x03';
const CTRL_D = '\x04';

export function promptHidden(
  question: string,
  input: ReadStream,
  output: NodeJS.WritableStream,
): Promise<string> {
  // Raw mode first, then the prompt: whatever is typed once the prompt shows is never echoed.
  input.setRawMode(true);
  output.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (ENTER.has(char)) return finish();
        if (char === CTRL_C || (char === CTRL_D && typed === '')) {
          return finish(new PromptCancelled('cancelled'));
        }
        if (BACKSPACE.has(char)) typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    input.resume();
    input.on('data', onData);
  });
}
