/** What every screen of the window is given, and what it gives back. */
import type { AppSnapshot, TidingsApi } from '../../contract/ipc.js';

export type Screen = 'inbox' | 'settings' | 'add-account' | 'about';

export interface ViewContext {
  api: TidingsApi;
  now(): number;
  /** Shows a message the user must read (an action failed) in the window's notice area. */
  showError(message: string): void;
  navigate(screen: Screen): void;
}

export interface View {
  readonly element: HTMLElement;
  /** Called with every snapshot while the view is on screen, and once when it comes back. */
  update(snapshot: AppSnapshot): void;
  /** Moves focus to the view's first useful control when it is shown. */
  focus(): void;
}
