import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiReply } from '../../../../engine/common/api.ts';
import { CHANNEL_NAMES } from '../../../../engine/common/api.ts';
import { Backend } from '../../../../engine/app/backend.ts';
import { SettingsStore } from '../../../../engine/workspace/settings-store.ts';
import { Workspace } from '../../../../engine/workspace/workspace.ts';
import { ipcChannel } from '../../../../electron/main/ipc-names.ts';
import { registerIpcRouter } from '../../../../electron/main/ipc-router.ts';
import type { IpcMainLike } from '../../../../electron/main/ipc-router.ts';
import { APP_ENTRY_URL, trustedOrigins } from '../../../../electron/main/renderer-origin.ts';
import { checkSender } from '../../../../electron/main/sender-check.ts';
import type { SenderInfo } from '../../../../electron/main/sender-check.ts';
import { FakeEngine } from '../../../support/fake-engine.ts';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: SenderInfo, payload: unknown) => Promise<ApiReply>>();
  handle(channel: string, listener: (event: SenderInfo, payload: unknown) => Promise<ApiReply>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: SenderInfo, payload: unknown): Promise<ApiReply> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, payload);
  }
}

const WINDOW_ID = 7;
const ours: SenderInfo = { sender: { id: WINDOW_ID }, senderFrame: { url: APP_ENTRY_URL, parent: null } };

let dir: string;
let ipc: FakeIpcMain;
let engine: FakeEngine;
let unregister: () => void;
const refused: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-router-'));
  const workspace = await Workspace.open(join(dir, 'ws'));
  engine = new FakeEngine();
  const backend = new Backend({ engine, workspace: () => workspace, settings: new SettingsStore(join(dir, 's.json')), emit: () => undefined });
  ipc = new FakeIpcMain();
  const origins = trustedOrigins('http://localhost:5173/');
  unregister = registerIpcRouter(ipc, {
    checkSender: (event) => checkSender(event, { webContentsId: () => WINDOW_ID, origins }),
    dispatch: (channel, payload) => backend.dispatch(channel, payload),
    onRefused: (channel, reason) => refused.push(`${channel}: ${reason}`),
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('IPC router', () => {
  it('registers exactly one handler per contract channel, and removes them all', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map(ipcChannel).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('dispatches a valid call from our renderer', async () => {
    expect(await ipc.invoke(ipcChannel('workspace.list'), ours, {})).toEqual({ ok: true, value: { scripts: [] } });
    const run = await ipc.invoke(ipcChannel('run'), ours, { code: 'return 1' });
    expect(run).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('answers an invalid payload with a typed error instead of throwing', async () => {
    for (const payload of [undefined, null, 42, 'x', { code: 5 }, { name: '../../etc/passwd' }]) {
      const reply = await ipc.invoke(ipcChannel('run'), ours, payload);
      expect(reply).toMatchObject({ ok: false, error: { type: 'InvalidRequestError' } });
    }
    expect(engine.runs).toHaveLength(0);
  });

  it('also accepts the dev server origin', async () => {
    const dev: SenderInfo = { sender: { id: WINDOW_ID }, senderFrame: { url: 'http://localhost:5173/index.html', parent: null } };
    expect(await ipc.invoke(ipcChannel('status'), dev, {})).toMatchObject({ ok: true });
  });

  const strangers: [string, SenderInfo][] = [
    ['another webContents', { sender: { id: WINDOW_ID + 1 }, senderFrame: { url: APP_ENTRY_URL, parent: null } }],
    ['a child frame of our window', { sender: { id: WINDOW_ID }, senderFrame: { url: APP_ENTRY_URL, parent: {} } }],
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
    ['a remote page', { sender: { id: WINDOW_ID }, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a file:// page', { sender: { id: WINDOW_ID }, senderFrame: { url: 'file:///etc/passwd', parent: null } }],
    ['another app:// host', { sender: { id: WINDOW_ID }, senderFrame: { url: 'app://other/index.html', parent: null } }],
    ['a look-alike dev origin', { sender: { id: WINDOW_ID }, senderFrame: { url: 'http://localhost:5174/', parent: null } }],
    ['a data: URL', { sender: { id: WINDOW_ID }, senderFrame: { url: 'data:text/html,hi', parent: null } }],
  ];
  for (const [who, event] of strangers) {
    it(`refuses ${who} before looking at the payload, with ForbiddenError`, async () => {
      for (const channel of CHANNEL_NAMES) {
        // Even a perfectly valid payload is refused: the sender check comes first.
        const reply = await ipc.invoke(ipcChannel(channel), event, channel === 'run' ? { code: 'x' } : {});
        expect(reply, channel).toMatchObject({ ok: false, error: { type: 'ForbiddenError' } });
      }
      expect(engine.runs).toHaveLength(0);
    });
  }

  it('refuses everything while no window exists', () => {
    expect(checkSender(ours, { webContentsId: () => undefined, origins: trustedOrigins(undefined) }).ok).toBe(false);
  });

  it('tells dispatch which webContents asked, so replies and runs belong to that page', async () => {
    const local = new FakeIpcMain();
    const seen: unknown[] = [];
    registerIpcRouter(local, { checkSender: () => ({ ok: true }), dispatch: async (_channel, _payload, sender) => (seen.push(sender), { ok: true, value: null }) });
    await local.invoke(ipcChannel('status'), ours, {});
    expect(seen).toEqual([{ id: WINDOW_ID }]);
  });

  it('answers with InternalError when dispatch itself throws', async () => {
    const local = new FakeIpcMain();
    registerIpcRouter(local, { checkSender: () => ({ ok: true }), dispatch: async () => { throw new Error('kaput'); } });
    expect(await local.invoke(ipcChannel('status'), ours, {})).toEqual({ ok: false, error: { type: 'InternalError', message: 'kaput' } });
  });
});
