/**
 * The inbox window's preload (sandboxed, bundled to CommonJS by scripts/build.mjs). It hands the
 * page one object, `window.tidings`, that implements contract/ipc.ts's TidingsApi, and nothing
 * else: ipcRenderer itself never crosses the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CHANNELS,
  type ActionResult,
  type AppSnapshot,
  type TidingsApi,
} from '../../contract/ipc.js';

// invoke() resolves to `any`; main's routes (ipcRoutes.ts) return these exact shapes.
const invoke = <T>(channel: string, ...args: unknown[]): Promise<T> =>
  ipcRenderer.invoke(channel, ...args) as Promise<T>;

// An argument left out stays out, so one-account calls look exactly as they always did.
const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);

const api: TidingsApi = {
  getSnapshot: () => invoke<AppSnapshot>(IPC_CHANNELS.getSnapshot),
  onSnapshot(listener) {
    const forward = (_event: IpcRendererEvent, snapshot: AppSnapshot): void => listener(snapshot);
    ipcRenderer.on(IPC_CHANNELS.snapshot, forward);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.snapshot, forward);
    };
  },
  checkServer: (serverUrl) =>
    invoke<ActionResult<{ version: string }>>(IPC_CHANNELS.checkServer, serverUrl),
  signIn: (request) => invoke<ActionResult>(IPC_CHANNELS.signIn, request),
  signOut: () => invoke<ActionResult>(IPC_CHANNELS.signOut),
  markRead: (ids, account) =>
    invoke<ActionResult>(IPC_CHANNELS.markRead, ids, ...optional(account)),
  markAllRead: (accounts) => invoke<ActionResult>(IPC_CHANNELS.markAllRead, ...optional(accounts)),
  loadOlder: () => invoke<ActionResult>(IPC_CHANNELS.loadOlder),
  openItem: (id, account) => invoke<ActionResult>(IPC_CHANNELS.openItem, id, ...optional(account)),
  removeAccount: (id) => invoke<ActionResult>(IPC_CHANNELS.removeAccount, id),
  updateSettings: (patch) => invoke<ActionResult>(IPC_CHANNELS.updateSettings, patch),
  pauseNotifications: (minutes) => invoke<ActionResult>(IPC_CHANNELS.pauseNotifications, minutes),
  dismissNotice: async (id) => {
    await ipcRenderer.invoke(IPC_CHANNELS.dismissNotice, id);
  },
  checkForUpdates: () => invoke<ActionResult>(IPC_CHANNELS.checkForUpdates),
  installUpdate: () => invoke<ActionResult>(IPC_CHANNELS.installUpdate),
};

contextBridge.exposeInMainWorld('tidings', api);
