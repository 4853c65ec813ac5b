/**
 * Electron main's wiring, run under Node with a stand-in for the `electron` module (there is no
 * Electron binary on our machines) and a fake engine: the scheme is registered before ready, the
 * window gets the secure options and the app:// URL, every channel has a sender-checked handler,
 * the menu is installed, and engine notices reach the window as events.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../../../engine/common/api.ts';
import type { BackendEvent } from '../../../../engine/common/api.ts';
import { EVENT_CHANNEL, ipcChannel } from '../../../../electron/main/ipc-names.ts';
import { FakeEngine } from '../../../support/fake-engine.ts';

const h = vi.hoisted(() => {
  const state = {
    userData: '',
    resources: '',
    events: [] as string[],
    handlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    windows: [] as { options: any; url?: string; sent: [string, unknown][]; webContents: any }[],
    menu: null as unknown,
    protocolHandler: null as null | ((request: { url: string }) => Promise<Response>),
    engine: null as unknown,
    ready: null as null | (() => void),
    /** What the stand-in save dialog answers (cancelled when empty). */
    savePath: '',
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    options: any;
    url?: string;
    sent: [string, unknown][] = [];
    webContents: any;
    constructor(options: any) {
      this.options = options;
      const self = this;
      const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
      this.webContents = {
        id: 1,
        isDestroyed: () => false,
        send: (channel: string, data: unknown) => self.sent.push([channel, data]),
        on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
        fire: (event: string, ...args: unknown[]) => listeners.get(event)?.forEach((listener) => listener(...args)),
      };
      h.windows.push(this);
    }
    once() {}
    on() {}
    async loadURL(url: string) {
      this.url = url;
    }
  }
  const app = {
    isPackaged: true,
    enableSandbox: () => h.events.push('enableSandbox'),
    setPath: () => undefined,
    requestSingleInstanceLock: () => true,
    on: () => app,
    whenReady: () => new Promise<void>((resolve) => (h.ready = resolve)),
    getPath: () => h.userData,
    getAppPath: () => '/app',
    getVersion: () => '0.1.0',
    quit: () => undefined,
    exit: () => undefined,
  };
  return {
    app,
    BrowserWindow,
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => (h.menu = menu) },
    dialog: {
      showErrorBox: (title: string, message: string) => h.events.push(`error: ${title}: ${message}`),
      showSaveDialog: async (_win: unknown, options: { title: string; defaultPath: string }) => {
        h.events.push(`save dialog: ${options.title}: ${options.defaultPath}`);
        return { canceled: !h.savePath, filePath: h.savePath };
      },
    },
    ipcMain: { handle: (channel: string, listener: any) => h.handlers.set(channel, listener), removeHandler: () => undefined },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => h.events.push(`registerSchemes:${schemes.map((s) => s.scheme)}`),
      handle: (scheme: string, handler: any) => {
        h.events.push(`handle:${scheme}`);
        h.protocolHandler = handler;
      },
    },
    session: { defaultSession: { setPermissionRequestHandler: () => h.events.push('permissions'), setPermissionCheckHandler: () => undefined } },
  };
});

vi.mock('../../../../engine/client/engine-client.ts', async () => {
  const { FakeEngine } = await import('../../../support/fake-engine.ts');
  return {
    EngineClient: {
      start: async (options: unknown) => {
        const engine = new FakeEngine();
        h.engine = engine;
        h.events.push(`engine.start:${JSON.stringify(options)}`);
        return engine;
      },
    },
  };
});

beforeAll(async () => {
  h.userData = await mkdtemp(join(tmpdir(), 'isolab-main-'));
  // The mocked app is a packaged one: its engine runtime lives under process.resourcesPath.
  h.resources = await mkdtemp(join(tmpdir(), 'isolab-resources-'));
  for (const file of ['engine/bin/node', 'engine/host.mjs', 'engine/guest.js']) {
    await mkdir(dirname(join(h.resources, file)), { recursive: true });
    await writeFile(join(h.resources, file), '');
  }
  (process as { resourcesPath?: string }).resourcesPath = h.resources;
  await import('../../../../electron/main/index.ts');
  expect(h.events).toEqual(['registerSchemes:app', 'enableSandbox']);
  h.ready!();
  await vi.waitFor(() => expect(h.windows).toHaveLength(1), { timeout: 10_000 });
});
afterAll(async () => {
  await rm(h.userData, { recursive: true, force: true });
  await rm(h.resources, { recursive: true, force: true });
});

const ours = { sender: { id: 1 }, senderFrame: { url: 'app://isolab/index.html', parent: null } };

function sentEvents(win: { sent: [string, unknown][] }): BackendEvent[] {
  return win.sent.filter(([channel]) => channel === EVENT_CHANNEL).map(([, event]) => event as BackendEvent);
}

describe('Electron main wiring', () => {
  it('registers the app:// scheme before ready and serves it after', () => {
    expect(h.events).toContain('handle:app');
    expect(h.events).toContain('permissions');
  });

  it('opens one sandboxed, isolated window on app://isolab', () => {
    const [win] = h.windows;
    expect(win.url).toBe('app://isolab/index.html');
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(win.options.webPreferences.preload).toMatch(/preload[/\\]index\.cjs$/);
  });

  it('starts the packaged app\'s engine host: its own Node, host bundle and guest bundle under the resources folder', () => {
    const start = JSON.parse(h.events.find((e) => e.startsWith('engine.start:'))!.slice('engine.start:'.length)) as { launcher: { command: string; args: string[]; env: Record<string, string> } };
    expect(start.launcher.command).toBe(join(h.resources, 'engine', 'bin', 'node'));
    expect(start.launcher.args).toEqual(['--no-node-snapshot', '--disable-warning=ExperimentalWarning', '--max-semi-space-size=16', join(h.resources, 'engine', 'host.mjs')]);
    expect(start.launcher.env).toEqual({ ISOLAB_GUEST_BUNDLE: join(h.resources, 'engine', 'guest.js') });
  });

  it('has a sender-checked handler for every channel', async () => {
    expect([...h.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map(ipcChannel).sort());
    const stranger = { sender: { id: 2 }, senderFrame: { url: 'app://isolab/index.html', parent: null } };
    expect(await h.handlers.get(ipcChannel('workspace.list'))!(ours, {})).toMatchObject({ ok: true, value: { scripts: [{ name: 'welcome.js' }] } });
    expect(await h.handlers.get(ipcChannel('workspace.list'))!(stranger, {})).toMatchObject({ ok: false, error: { type: 'ForbiddenError' } });
    expect(await h.handlers.get(ipcChannel('run'))!(ours, { code: 'return 1' })).toMatchObject({ ok: true, value: { ok: true } });
  });

  it('gives the window a run result once, as the reply, not again as a runFinished event', async () => {
    const [win] = h.windows;
    const reply = await h.handlers.get(ipcChannel('run'))!(ours, { code: 'return 2', runId: 'once' });
    expect(reply).toMatchObject({ ok: true, value: { runId: 'once' } });
    const leak = await h.handlers.get(ipcChannel('leak'))!(ours, { code: 'x', runId: 'once-leak' });
    expect(leak).toMatchObject({ ok: true, value: { runId: 'once-leak' } });
    const finished = sentEvents(win).filter((e) => e.type === 'runFinished' || e.type === 'leakFinished');
    expect(finished).toEqual([]);
  });

  it('cancels the runs of a page that reloads or whose window closes, as closing a tab does', async () => {
    const [win] = h.windows;
    const engine = h.engine as FakeEngine;
    const hang = (runId: string) => h.handlers.get(ipcChannel('run'))!(ours, { code: 'hang', runId, timeoutMs: 60_000 });
    // Resolves once the engine has the run, with the reply still pending.
    const startedRun = async (runId: string) => {
      const reply = hang(runId);
      await vi.waitFor(() => expect(engine.runs.map((r) => r.runId)).toContain(runId));
      return { reply };
    };

    const reloaded = await startedRun('before-reload');
    win.webContents.fire('did-start-navigation', { isMainFrame: true, isSameDocument: true });
    win.webContents.fire('did-start-navigation', { isMainFrame: false, isSameDocument: false });
    expect(engine.cancelled).not.toContain('before-reload');
    win.webContents.fire('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    expect(await reloaded.reply).toMatchObject({ ok: true, value: { error: { type: 'CancelledError' } } });

    const crashed = await startedRun('before-crash');
    win.webContents.fire('render-process-gone', {}, { reason: 'crashed' });
    expect(await crashed.reply).toMatchObject({ value: { error: { type: 'CancelledError' } } });

    const closed = await startedRun('before-close');
    win.webContents.fire('destroyed');
    expect(await closed.reply).toMatchObject({ value: { error: { type: 'CancelledError' } } });
    expect(engine.cancelled).toEqual(expect.arrayContaining(['before-reload', 'before-crash', 'before-close']));
  });

  it('exports the workspace through a native save dialog, so the archive never passes through the page', async () => {
    h.savePath = join(h.userData, 'exported.zip');
    const reply = await h.handlers.get(ipcChannel('workspace.export'))!(ours, { via: 'dialog' });
    expect(reply).toMatchObject({ ok: true, value: { status: 'exported', file: h.savePath, fileName: 'exported.zip', scripts: ['welcome.js'] } });
    expect(h.events.find((e) => e.startsWith('save dialog:'))).toMatch(/^save dialog: Export Workspace: isolab-workspace-\d{4}-\d\d-\d\d\.zip$/);
    expect((await readFile(h.savePath)).subarray(0, 2).toString()).toBe('PK');
    h.savePath = '';
    expect(await h.handlers.get(ipcChannel('workspace.export'))!(ours, { via: 'dialog' })).toEqual({ ok: true, value: { status: 'cancelled' } });
  });

  it('installs the menu', () => {
    const labels = (h.menu as { label?: string }[]).map((m) => m.label);
    expect(labels).toContain('Run');
    expect(labels).toContain('File');
  });

  it('tells the window when the engine host restarts', () => {
    const [win] = h.windows;
    (h.engine as FakeEngine).crash('killed');
    expect(win.sent.filter(([channel]) => channel === EVENT_CHANNEL).map(([, event]) => event)).toEqual(
      expect.arrayContaining([
        { type: 'engine', state: 'restarting', reason: 'killed' },
        { type: 'engine', state: 'ready' },
      ]),
    );
  });

  it('serves the renderer through the protocol handler (404 outside it)', async () => {
    const res = await h.protocolHandler!({ url: 'app://isolab/../../etc/passwd' });
    expect(res.status).toBe(404);
  });
});
