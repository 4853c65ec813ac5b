import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../../engine/common/api.ts';
import type { BackendEvent } from '../../../../engine/common/api.ts';
import { EVENT_CHANNEL, ipcChannel } from '../../../../electron/main/ipc-names.ts';
import { buildBridge } from '../../../../electron/preload/bridge.ts';
import type { RendererIpc } from '../../../../electron/preload/bridge.ts';

function fakeIpc() {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, Set<(event: unknown, data: unknown) => void>>();
  const ipc: RendererIpc & { invoked: typeof invoked; emit(channel: string, data: unknown): void; count(channel: string): number } = {
    invoked,
    async invoke(channel, payload) {
      invoked.push([channel, payload]);
      if (channel === ipcChannel('status')) throw new Error("No handler registered for 'isolab:status'");
      return { ok: true, value: channel };
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
    emit(channel, data) {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipcRenderer itself' }, data);
    },
    count(channel) {
      return listeners.get(channel)?.size ?? 0;
    },
  };
  return ipc;
}

describe('preload bridge', () => {
  it('exposes one named action per contract action, plus onEvent, and nothing else', () => {
    const bridge = buildBridge(fakeIpc());
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(ACTIONS), 'onEvent'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipc|invoke|send/i);
  });

  it('invokes the derived IPC channel for each action with the payload', async () => {
    const ipc = fakeIpc();
    const bridge = buildBridge(ipc);
    for (const [action, channel] of Object.entries(ACTIONS)) {
      if (channel === 'status') continue;
      const reply = await (bridge as unknown as Record<string, (p: unknown) => Promise<unknown>>)[action]({ probe: action });
      expect(reply).toEqual({ ok: true, value: ipcChannel(channel) });
    }
    expect(ipc.invoked.length).toBe(Object.keys(ACTIONS).length - 1);
  });

  it('turns a failed invoke into an InternalError reply', async () => {
    const bridge = buildBridge(fakeIpc());
    expect(await bridge.status({})).toMatchObject({ ok: false, error: { type: 'InternalError' } });
  });

  it('passes events without the IPC event object, and unsubscribes once', () => {
    const ipc = fakeIpc();
    const bridge = buildBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => seen.push(args) as unknown as void);
    const event: BackendEvent = { type: 'engine', state: 'ready' };
    ipc.emit(EVENT_CHANNEL, event);
    expect(seen).toEqual([[event]]);
    off();
    off();
    expect(ipc.count(EVENT_CHANNEL)).toBe(0);
    ipc.emit(EVENT_CHANNEL, event);
    expect(seen).toHaveLength(1);
  });

  it('refuses a non-function event handler', () => {
    expect(() => buildBridge(fakeIpc()).onEvent('x' as never)).toThrow(TypeError);
  });
});
