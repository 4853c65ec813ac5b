/**
 * The IPC router, derived from the contract's channel table: one `ipcMain.handle` per channel.
 * Every handler checks the sender first, then lets the Backend parse the payload against the
 * channel's schema; whatever happens, the renderer gets an ApiReply, never a rejected invoke.
 */
import type { ApiReply, ChannelName } from '../../engine/common/api.ts';
import { CHANNEL_NAMES } from '../../engine/common/api.ts';
import { ipcChannel } from './ipc-names.ts';
import type { SenderInfo, SenderVerdict } from './sender-check.ts';

/** What the router needs of Electron's ipcMain. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderInfo, payload: unknown) => Promise<ApiReply>): void;
  removeHandler(channel: string): void;
}

export interface IpcRouterOptions {
  checkSender: (event: SenderInfo) => SenderVerdict;
  /** `sender` is the webContents that asked: the page whose runs and replies these are. */
  dispatch: (channel: ChannelName, payload: unknown, sender: SenderInfo['sender']) => Promise<ApiReply>;
  /** Told about refused senders (logging). */
  onRefused?: (channel: ChannelName, reason: string) => void;
}

export function registerIpcRouter(ipcMain: IpcMainLike, options: IpcRouterOptions): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(ipcChannel(channel), async (event, payload) => {
      const verdict = options.checkSender(event);
      if (!verdict.ok) {
        options.onRefused?.(channel, verdict.reason);
        return { ok: false, error: { type: 'ForbiddenError', message: verdict.reason } };
      }
      try {
        return await options.dispatch(channel, payload, event.sender);
      } catch (error) {
        return { ok: false, error: { type: 'InternalError', message: error instanceof Error ? error.message : String(error) } };
      }
    });
  }
  return () => {
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(ipcChannel(channel));
  };
}
