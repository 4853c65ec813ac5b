/**
 * Builds `window.isolab` from the contract's ACTIONS table: one named function per channel, plus
 * `onEvent`. The renderer never sees ipcRenderer or an IPC event object (whose `sender` would be
 * ipcRenderer itself); it gets plain data only. Takes the IPC functions as parameters so it can
 * be tested without Electron.
 */
import type { ApiReply, BackendEvent, IsolabBridge } from '../../engine/common/api.ts';
import { ACTIONS } from '../../engine/common/api.ts';
import { EVENT_CHANNEL, ipcChannel } from '../main/ipc-names.ts';

export interface RendererIpc {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, data: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, data: unknown) => void): unknown;
}

export function buildBridge(ipc: RendererIpc): IsolabBridge {
  const actions: Record<string, (payload: unknown) => Promise<ApiReply>> = {};
  for (const [action, channel] of Object.entries(ACTIONS)) {
    const name = ipcChannel(channel);
    actions[action] = async (payload: unknown) => {
      try {
        return (await ipc.invoke(name, payload ?? {})) as ApiReply;
      } catch (error) {
        // Only reachable when main has no handler (shutting down): still answer with data.
        return { ok: false, error: { type: 'InternalError', message: error instanceof Error ? error.message : String(error) } };
      }
    };
  }
  const onEvent = (handler: (event: BackendEvent) => void): (() => void) => {
    if (typeof handler !== 'function') throw new TypeError('onEvent needs a function');
    const listener = (_event: unknown, data: unknown) => handler(data as BackendEvent);
    ipc.on(EVENT_CHANNEL, listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(EVENT_CHANNEL, listener);
    };
  };
  return Object.freeze({ ...actions, onEvent }) as IsolabBridge;
}
