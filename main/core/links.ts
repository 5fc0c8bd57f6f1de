/** Opens a post's link in the browser, only after the URL guard has accepted it. */
import type { ActionResult } from '../../contract/ipc.js';
import type { UrlOpener } from './ports.js';
import { checkPostUrl } from './postUrlGuard.js';

export function createLinkOpener(options: {
  opener: UrlOpener;
  /** The signed-in server's origin (or the last one in settings): the only one links may use. */
  serverOrigin: () => string;
  log: (message: string) => void;
  /** Shows the user why nothing opened. */
  refused: (message: string) => void;
}): (url: string) => Promise<ActionResult> {
  return async (url) => {
    const verdict = checkPostUrl(url, options.serverOrigin());
    if (!verdict.ok) {
      const message = `This link was not opened: ${verdict.reason}.`;
      options.log(`tidings: refused to open ${JSON.stringify(url)}: ${verdict.reason}`);
      options.refused(message);
      return { ok: false, code: 'unsafe_url', message };
    }
    try {
      await options.opener.open(verdict.url);
      return { ok: true };
    } catch (error) {
      options.refused('The browser could not be opened.');
      return {
        ok: false,
        code: 'open_failed',
        message: `The browser could not be opened: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  };
}
