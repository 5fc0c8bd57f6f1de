/**
 * Binds the IPC routes (ipcRoutes.ts) to ipcMain and pushes snapshots to the inbox window. Every
 * handler goes through dispatchIpc, which checks the sender before anything else.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS, type AppSnapshot } from '../../contract/ipc.js';
import type { AccountsCore } from '../core/ports.js';
import { createIpcRoutes, dispatchIpc } from './ipcRoutes.js';
import type { IpcSender } from './security.js';

export interface IpcBinding {
  dispose(): void;
}

export function bindIpc(options: {
  core: AccountsCore;
  /** The inbox window's webContents, or null while it does not exist. */
  inboxContents: () => Electron.WebContents | null;
  appPageUrl: string;
  log: (message: string) => void;
}): IpcBinding {
  const { core, inboxContents, appPageUrl, log } = options;
  const routes = createIpcRoutes(core);
  const trusted = (): { webContentsId: number | null; appPageUrl: string } => ({
    webContentsId: liveContents(inboxContents())?.id ?? null,
    appPageUrl,
  });

  for (const channel of Object.keys(routes)) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) =>
      dispatchIpc(routes, { channel, sender: describeSender(event), args }, trusted(), log),
    );
  }

  const send = (snapshot: AppSnapshot): void => {
    liveContents(inboxContents())?.send(IPC_CHANNELS.snapshot, snapshot);
  };
  const unsubscribe = core.subscribe(send);

  return {
    dispose() {
      unsubscribe();
      for (const channel of Object.keys(routes)) ipcMain.removeHandler(channel);
    },
  };
}

function describeSender(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

function liveContents(contents: Electron.WebContents | null): Electron.WebContents | null {
  return contents && !contents.isDestroyed() ? contents : null;
}
