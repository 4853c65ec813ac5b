/**
 * The controller's part in the team policy and workspace archives: it asks for the policy view
 * at start (an empty workspace gets the team's welcome script), routes the application menu's
 * Export/Import Workspace and the archive progress events to the archive flow, and when the
 * backend refuses a settings change it shows why and goes back to what is really in force.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type BackendEvent, type ChannelName, type PolicyView } from '../../../../engine/common/api.ts';
import { Controller } from '../../../../renderer/src/app/controller.ts';
import { BackendError, type Backend } from '../../../../renderer/src/backend.ts';
import { NO_POLICY } from '../../../../renderer/src/state/policy.ts';

const POLICY: PolicyView = {
  ...NO_POLICY,
  file: '/etc/isolab/policy.json',
  locked: { memoryLimitMb: 'Locked by the team policy (/etc/isolab/policy.json)' },
  welcome: { name: 'team-start.js', content: 'return "team"' },
};

function fakeBackend() {
  const written = new Map<string, string>();
  const calls: ChannelName[] = [];
  let settings = { ...DEFAULT_SETTINGS };
  let emit: (event: BackendEvent) => void = () => {};
  const backend: Backend = {
    mode: 'web',
    async call(channel: ChannelName, payload: any): Promise<any> {
      calls.push(channel);
      switch (channel) {
        case 'policy.get':
          return POLICY;
        case 'settings.get':
          return settings;
        case 'settings.set':
          if (payload.memoryLimitMb !== settings.memoryLimitMb) throw new BackendError('ForbiddenError', 'memoryLimitMb is locked by the team policy (/etc/isolab/policy.json)');
          settings = { ...settings, ...payload };
          return settings;
        case 'status':
          return { state: 'ready' };
        case 'workspace.info':
          return { dir: '/ws' };
        case 'workspace.list':
          return { scripts: [...written.keys()].map((name) => ({ name, sizeBytes: 1, mtimeMs: 1 })) };
        case 'workspace.write':
          written.set(payload.name, payload.content);
          return { name: payload.name, sizeBytes: 1, mtimeMs: 1 };
        default:
          throw new Error(`unexpected ${channel}`);
      }
    },
    onEvent: (handler) => ((emit = handler), () => {}),
    onConnection: () => () => {},
    connection: () => ({ state: 'connected' }),
  };
  return { backend, written, calls, emit: (event: BackendEvent) => emit(event) };
}

const storage = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
};
const files = { pickFile: async () => null, download: () => {} };

let controller: Controller;
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  controller?.dispose();
  vi.useRealTimers();
});

describe('Controller under a team policy', () => {
  it("takes the policy view at start, and starts an empty workspace with the team's welcome script", async () => {
    const fake = fakeBackend();
    controller = new Controller(fake.backend, storage(), files);
    await controller.start();
    expect(controller.policy.get()).toEqual(POLICY);
    expect(fake.written.get('team-start.js')).toBe('return "team"');
    expect(controller.workspace.store.get().open).toEqual(['team-start.js']);
  });

  it('routes the menu and the progress events of workspace archives to the archive flow', async () => {
    const fake = fakeBackend();
    controller = new Controller(fake.backend, storage(), files);
    await controller.start();
    const exportWorkspace = vi.spyOn(controller.archive, 'exportWorkspace').mockResolvedValue();
    const importWorkspace = vi.spyOn(controller.archive, 'importWorkspace').mockResolvedValue();
    const onProgress = vi.spyOn(controller.archive, 'onProgress');
    fake.emit({ type: 'menu', action: 'exportWorkspace' });
    fake.emit({ type: 'menu', action: 'importWorkspace' });
    const progress = { type: 'archiveProgress', operationId: 'op', phase: 'writing', done: 1, total: 2 } as const;
    fake.emit(progress);
    expect(exportWorkspace).toHaveBeenCalledOnce();
    expect(importWorkspace).toHaveBeenCalledOnce();
    expect(onProgress).toHaveBeenCalledWith(progress);
  });

  it('shows why a settings change was refused and goes back to the settings in force', async () => {
    const fake = fakeBackend();
    controller = new Controller(fake.backend, storage(), files);
    await controller.start();
    controller.updateSettings({ memoryLimitMb: 512 });
    expect(controller.settings.get().memoryLimitMb).toBe(512);
    await vi.advanceTimersByTimeAsync(400);
    expect(controller.ui.get().settingsError).toBe('Setting not saved: memoryLimitMb is locked by the team policy (/etc/isolab/policy.json)');
    expect(controller.settings.get().memoryLimitMb).toBe(DEFAULT_SETTINGS.memoryLimitMb);
    controller.updateSettings({ timeoutMs: 2_000 });
    expect(controller.ui.get().settingsError).toBeNull();
    await vi.advanceTimersByTimeAsync(400);
    expect(controller.settings.get().timeoutMs).toBe(2_000);
  });
});
