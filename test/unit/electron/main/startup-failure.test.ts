/**
 * The desktop app with an invalid team policy: it must not start with no policy, but stop with an
 * error box naming the policy file and the problem. Run under Node with a stand-in for `electron`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ events: [] as string[], ready: null as null | (() => void), userData: '' }));

vi.mock('electron', () => {
  const app = {
    isPackaged: false,
    enableSandbox: () => undefined,
    setPath: () => undefined,
    requestSingleInstanceLock: () => true,
    on: () => app,
    whenReady: () => new Promise<void>((resolve) => (h.ready = resolve)),
    getPath: () => h.userData,
    getAppPath: () => '/app',
    exit: (code: number) => h.events.push(`exit ${code}`),
  };
  return {
    app,
    BrowserWindow: class {},
    Menu: { buildFromTemplate: () => [], setApplicationMenu: () => undefined },
    dialog: { showErrorBox: (title: string, message: string) => h.events.push(`${title}: ${message}`) },
    ipcMain: { handle: () => undefined },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: { defaultSession: { setPermissionRequestHandler: () => undefined, setPermissionCheckHandler: () => undefined } },
  };
});

vi.mock('../../../../engine/client/engine-client.ts', () => ({
  EngineClient: {
    start: async () => {
      h.events.push('engine started');
      throw new Error('the engine must not start under an invalid policy');
    },
  },
}));

let policy: string;
const saved = process.env.ISOLAB_POLICY;
beforeAll(async () => {
  h.userData = await mkdtemp(join(tmpdir(), 'isolab-main-policy-'));
  policy = join(h.userData, 'policy.json');
  await writeFile(policy, JSON.stringify({ version: 1, locked: ['fontSize'] }));
  process.env.ISOLAB_POLICY = policy;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.ISOLAB_POLICY;
  else process.env.ISOLAB_POLICY = saved;
  await rm(h.userData, { recursive: true, force: true });
});

it('stops with an error box naming the invalid policy file and the problem', async () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await import('../../../../electron/main/index.ts');
  h.ready!();
  await vi.waitFor(() => expect(h.events).toContain('exit 1'));
  expect(h.events).toEqual([`Isolab could not start: invalid team policy ${policy}: locked.0: Invalid option: expected one of "timeoutMs"|"memoryLimitMb"|"cpuLimitMs"|"liveTimeoutMs"|"reuseContext"|"leakIterations"|"theme"`, 'exit 1']);
});
