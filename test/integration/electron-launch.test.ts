/**
 * Launches the real desktop app with playwright-core's `_electron` and checks the shell from the
 * renderer's side: the preload's bridge, no Node in the page, the app:// origin, a run through IPC
 * to the engine host. Machines without an Electron binary (ours cannot download it) skip loudly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../engine/common/api.ts';
import { findElectron } from '../../scripts/electron-binary.mjs';

const ROOT = join(import.meta.dirname, '../..');

/** What page.evaluate callbacks see; this test file is type-checked without the DOM library. */
type PageGlobals = {
  isolab: Record<string, (payload: unknown) => Promise<unknown>>;
  location: { origin: string; pathname: string; protocol: string; href: string };
  open(url: string): unknown;
  require?: unknown;
  process?: unknown;
  ipcRenderer?: unknown;
};

const electron = findElectron();
if (!electron.ok) {
  const what = electron.kind === 'missing' ? 'Electron binary not installed' : 'Electron cannot open a window here';
  console.warn(`\n${'='.repeat(78)}\nSKIPPED: ${what} (${electron.reason})\n${'='.repeat(78)}\n`);
}

describe.skipIf(!electron.ok)('Electron app launch', () => {
  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  beforeAll(async () => {
    if (!electron.ok) return;
    if (!existsSync(join(ROOT, 'out/main/index.js')) || !existsSync(join(ROOT, 'out/preload/index.cjs'))) {
      const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
      if (build.status !== 0) throw new Error('electron-vite build failed');
    }
    userData = await mkdtemp(join(tmpdir(), 'isolab-electron-'));
    app = await _electron.launch({ executablePath: electron.binary, args: [ROOT], cwd: ROOT, env: { ...process.env, ISOLAB_USER_DATA_DIR: userData } as Record<string, string> });
    page = await app.firstWindow();
    await page.waitForFunction(() => 'isolab' in globalThis, undefined, { timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
  }, 60_000);

  it('opens one window titled Isolab from the app:// origin', async () => {
    expect(app.windows()).toHaveLength(1);
    expect(await page.title()).toBe('Isolab');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).location.origin + (globalThis as unknown as PageGlobals).location.pathname)).toBe('app://isolab/index.html');
  });

  it('exposes exactly the named actions of the contract and no Node', async () => {
    const keys = await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).isolab).sort());
    expect(keys).toEqual([...Object.keys(ACTIONS), 'onEvent'].sort());
    const globals = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      return [typeof w.require, typeof w.process, typeof w.ipcRenderer];
    });
    expect(globals).toEqual(['undefined', 'undefined', 'undefined']);
  });

  it('runs code in the engine host through IPC', async () => {
    const reply = await page.evaluate(() => (globalThis as unknown as PageGlobals).isolab.run({ code: 'return 6 * 7' }));
    expect(reply).toMatchObject({ ok: true, value: { ok: true, value: 42 } });
  }, 60_000);

  it('answers an invalid payload with a typed error', async () => {
    const reply = await page.evaluate(() => (globalThis as unknown as PageGlobals).isolab.workspaceRead({ name: '../../etc/passwd' }));
    expect(reply).toMatchObject({ ok: false, error: { type: 'InvalidRequestError' } });
  });

  it('denies window.open and navigation away', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com') === null)).toBe(true);
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).location.protocol)).toBe('app:');
  });

  it('has a Run menu with Run, Stop and Profile Leaks shortcuts', async () => {
    const items = await app.evaluate(({ Menu }) => {
      const run = Menu.getApplicationMenu()?.items.find((item) => item.label === 'Run');
      return run?.submenu?.items.filter((item) => item.label).map((item) => [item.label, item.accelerator ?? null]) ?? [];
    });
    expect(items).toEqual([
      ['Run', 'CmdOrCtrl+Enter'],
      ['Stop', 'Shift+F5'],
      ['Profile Leaks', 'CmdOrCtrl+Shift+L'],
    ]);
  });
});

// Keeps the reason in the test report itself, next to the skipped tests.
if (!electron.ok) it.skip(`SKIPPED: Electron launch (${electron.reason})`, () => undefined);
