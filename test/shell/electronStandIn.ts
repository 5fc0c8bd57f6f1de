/**
 * A stand-in for the `electron` module, for test/shell/appWiring.test.ts: the real app.js runs in
 * plain Node against it, and every call it makes is recorded. It implements only what the shell
 * (and electron-store) use, with Electron's documented behaviour for those calls. It is a seam
 * check for machines without Electron's binary, not a substitute for test/e2e/electron.test.ts.
 */
import { EventEmitter } from 'node:events';

export interface PreventableEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function preventableEvent(): PreventableEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

type Handler = (...args: unknown[]) => unknown;

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  devToolsOpened = false;
  isDevToolsOpened(): boolean {
    return this.devToolsOpened;
  }
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: Handler | null = null;
  destroyed = false;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  readonly loaded: [string, unknown][] = [];
  visible = false;
  focused = false;
  destroyed = false;
  overlay: FakeImage | null = null;
  overlayDescription = '';
  position: [number, number] = [0, 0];
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
    app.emit('web-contents-created', preventableEvent(), this.webContents);
  }
  async loadFile(path: string, options?: unknown): Promise<void> {
    this.loaded.push([path, options]);
    queueMicrotask(() => this.emit('ready-to-show'));
  }
  show(): void {
    this.visible = true;
    this.focused = true;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
    this.emit('hide');
  }
  focus(): void {
    this.focused = true;
    this.emit('focus');
  }
  /** The user clicks somewhere else (another app, the desktop, the tray icon). */
  userClicksElsewhere(): void {
    this.focused = false;
    this.emit('blur');
  }
  /** A key press in the page, as Electron reports it before the page sees it. */
  userPresses(key: string): PreventableEvent {
    const event = preventableEvent();
    this.webContents.emit('before-input-event', event, { type: 'keyDown', key });
    return event;
  }
  getSize(): [number, number] {
    return [Number(this.options['width']), Number(this.options['height'])];
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setOverlayIcon(image: FakeImage | null, description: string): void {
    this.overlay = image;
    this.overlayDescription = description;
  }
  /** What the user's click on the window's close button does. */
  userCloses(): void {
    const event = preventableEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return recorded.windows.filter((window) => !window.destroyed);
  }
}

export interface FakeImage {
  path: string;
  setTemplateImage(flag: boolean): void;
}

export interface MenuItemTemplate {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
}

export interface FakeMenu {
  items: MenuItemTemplate[];
}

export class FakeTray extends EventEmitter {
  tooltip = '';
  title = '';
  /** The menu given to setContextMenu (what the OS opens by itself), or null. */
  contextMenu: FakeMenu | null = null;
  /** Menus popped up with popUpContextMenu, in order. */
  poppedUp: FakeMenu[] = [];
  bounds = { x: 0, y: 0, width: 0, height: 0 };
  destroyed = false;
  constructor(public image: FakeImage) {
    super();
    recorded.trays.push(this);
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setTitle(text: string): void {
    this.title = text;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.contextMenu = menu;
  }
  popUpContextMenu(menu?: FakeMenu): void {
    const shown = menu ?? this.contextMenu;
    if (shown) this.poppedUp.push(shown);
  }
  getBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  /** The menu's labels as the user would see them (whichever way it is attached). */
  get menu(): MenuItemTemplate[] {
    return this.contextMenu?.items ?? recorded.menus.at(-1)?.items ?? [];
  }
  /**
   * A left click as the OS delivers it. On macOS a tray with a context menu opens that menu on
   * any click (and still emits 'click'); elsewhere a left click is just 'click'.
   */
  userClicks(): void {
    if (process.platform === 'darwin' && this.contextMenu) this.poppedUp.push(this.contextMenu);
    this.emit('click', preventableEvent(), this.bounds);
  }
  /** A right click: Windows and Linux open the context menu; macOS only emits 'right-click'. */
  userRightClicks(): void {
    if (process.platform !== 'darwin' && this.contextMenu) this.poppedUp.push(this.contextMenu);
    this.emit('right-click', preventableEvent(), this.bounds);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.calls.push('new Notification');
  }
  /** The user clicks the toast's body. */
  userClicks(): void {
    this.emit('click', preventableEvent());
  }
  /** The user presses one of its buttons (Electron 45's 'action' event). */
  userPressesButton(actionIndex: number): void {
    this.emit('action', { ...preventableEvent(), actionIndex, selectionIndex: -1 }, actionIndex);
  }
  show(): void {
    recorded.notifications.push(this);
  }
}

class FakeApp extends EventEmitter {
  private readonly paths = new Map<string, string>();
  readonly dock = { hide: () => recorded.calls.push('dock.hide') };
  isPackaged = false;
  getAppPath(): string {
    return process.cwd();
  }
  requestSingleInstanceLock(): boolean {
    recorded.calls.push('requestSingleInstanceLock');
    return true;
  }
  setAppUserModelId(id: string): void {
    recorded.calls.push(`setAppUserModelId ${id}`);
  }
  focus(options?: { steal?: boolean }): void {
    recorded.calls.push(`app.focus${options?.steal ? ' steal' : ''}`);
  }
  whenReady(): Promise<void> {
    recorded.calls.push('whenReady');
    return Promise.resolve();
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`stand-in: no path "${name}" was set`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  /** Electron names the app from package.json's productName when it has one. */
  getName(): string {
    return 'Tidings';
  }
  /** Electron's order: before-quit, then will-quit, whose preventDefault stops the exit. */
  quit(): void {
    recorded.quitCalls += 1;
    this.emit('before-quit', preventableEvent());
    const willQuit = preventableEvent();
    this.emit('will-quit', willQuit);
    if (!willQuit.defaultPrevented) recorded.exited = true;
  }
  exit(code: number): void {
    recorded.exitCode = code;
    recorded.exited = true;
  }
  setBadgeCount(count: number): boolean {
    recorded.badgeCounts.push(count);
    return true;
  }
  setLoginItemSettings(settings: unknown): void {
    recorded.loginItems.push(settings);
  }
}

export const recorded = {
  /** App-level calls in the order they happened. */
  calls: [] as string[],
  windows: [] as FakeBrowserWindow[],
  menus: [] as FakeMenu[],
  applicationMenu: null as FakeMenu | null,
  shortcuts: new Map<string, Handler>(),
  /** Accelerators another app owns: registering them fails, as in Electron. */
  takenShortcuts: new Set<string>(),
  trays: [] as FakeTray[],
  notifications: [] as FakeNotification[],
  images: [] as string[],
  handlers: new Map<string, Handler>(),
  permissionRequestHandler: null as Handler | null,
  permissionCheckHandler: null as Handler | null,
  beforeRequest: null as Handler | null,
  headersReceived: null as Handler | null,
  dialogs: [] as unknown[],
  errorBoxes: [] as [string, string][],
  openedExternal: [] as string[],
  badgeCounts: [] as number[],
  loginItems: [] as unknown[],
  quitCalls: 0,
  exited: false,
  exitCode: null as number | null,
};

export const app = new FakeApp();
export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;
export const Notification = FakeNotification;
export const Menu = {
  buildFromTemplate: (items: MenuItemTemplate[]): FakeMenu => {
    const menu = { items };
    recorded.menus.push(menu);
    return menu;
  },
  setApplicationMenu: (menu: FakeMenu | null): void => {
    recorded.applicationMenu = menu;
  },
};
export const globalShortcut = {
  register(accelerator: string, callback: Handler): boolean {
    if (recorded.takenShortcuts.has(accelerator) || recorded.shortcuts.has(accelerator))
      return false;
    recorded.shortcuts.set(accelerator, callback);
    return true;
  },
  unregister(accelerator: string): void {
    recorded.shortcuts.delete(accelerator);
  },
};
export const screen = {
  cursor: { x: 0, y: 0 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  getCursorScreenPoint(): { x: number; y: number } {
    return { ...this.cursor };
  },
  getDisplayNearestPoint(): { workArea: { x: number; y: number; width: number; height: number } } {
    return { workArea: { ...this.workArea } };
  },
};
export const nativeImage = {
  createFromPath(path: string): FakeImage {
    recorded.images.push(path);
    return { path, setTemplateImage: () => undefined };
  },
};
export const nativeTheme = Object.assign(new EventEmitter(), {
  shouldUseDarkColors: false,
  shouldUseDarkColorsForSystemIntegratedUI: false,
});
export const session = {
  defaultSession: {
    resolveProxy: (_url: string) => Promise.resolve('DIRECT'),
    setPermissionRequestHandler: (handler: Handler) =>
      (recorded.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Handler) => (recorded.permissionCheckHandler = handler),
    webRequest: {
      onBeforeRequest: (handler: Handler) => (recorded.beforeRequest = handler),
      onHeadersReceived: (handler: Handler) => (recorded.headersReceived = handler),
    },
  },
};
export const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel: string, handler: Handler): void {
    if (recorded.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    recorded.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    recorded.handlers.delete(channel);
  },
});
export const powerMonitor = new EventEmitter();
export const net = { isOnline: () => true };
export const shell = {
  openExternal: async (url: string) => {
    recorded.openedExternal.push(url);
  },
  openPath: async () => '',
};
export const dialog = {
  showMessageBox: async (...args: unknown[]) => {
    recorded.dialogs.push(args);
    return { response: 2 };
  },
  showErrorBox: (title: string, content: string) => recorded.errorBoxes.push([title, content]),
};

export default {
  app,
  BrowserWindow,
  Tray,
  Notification,
  Menu,
  globalShortcut,
  screen,
  nativeImage,
  nativeTheme,
  session,
  ipcMain,
  powerMonitor,
  net,
  shell,
  dialog,
};
