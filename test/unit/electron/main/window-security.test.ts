import type { BrowserWindowConstructorOptions } from 'electron';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../../engine/app/csp.ts';
import { aboutDetail } from '../../../../electron/main/about.ts';
import { electronLauncher } from '../../../../electron/main/engine-launcher.ts';
import type { RuntimeContext, RuntimeLocation } from '../../../../engine/client/runtime.ts';
import { importName } from '../../../../electron/main/file-dialogs.ts';
import { ALLOWED_PERMISSIONS, denyPermissions, guardContents } from '../../../../electron/main/hardening.ts';
import type { GuardedContents, PermissionSession } from '../../../../electron/main/hardening.ts';
import { APP_ENTRY_URL, originOf, trustedOrigins } from '../../../../electron/main/renderer-origin.ts';
import { APP_SCHEME_PRIVILEGES, RENDERER_CSP, rendererResponse } from '../../../../electron/main/renderer-protocol.ts';
import { createMainWindow } from '../../../../electron/main/window-options.ts';

describe('window options', () => {
  class FakeWindow {
    readonly options: BrowserWindowConstructorOptions;
    constructor(options: BrowserWindowConstructorOptions) {
      this.options = options;
    }
  }

  it('pins every security preference', () => {
    const { options } = createMainWindow(FakeWindow, '/p/index.cjs');
    expect(options.webPreferences).toEqual({
      preload: '/p/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(options.show).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) => Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('allows only our own scripts, workers from self or blob:, and nothing remote', () => {
    const csp = directives(RENDERER_CSP);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['worker-src']).toEqual(["'self'", 'blob:']);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it("allows 'unsafe-inline' scripts only for the dev server", () => {
    expect(directives(contentSecurityPolicy({ devServer: true }))['script-src']).toContain("'unsafe-inline'");
    expect(directives(contentSecurityPolicy())['script-src']).not.toContain("'unsafe-inline'");
  });
});

describe('app:// renderer protocol', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isolab-proto-'));
    await mkdir(join(dir, 'renderer', 'assets'), { recursive: true });
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'renderer', 'assets', 'a.js'), 'ok()');
    await writeFile(join(dir, 'secret.txt'), 'SECRET');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is registered as a standard, secure scheme', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
  });

  it('serves renderer files with the CSP header and their type', async () => {
    const page = await rendererResponse(APP_ENTRY_URL, join(dir, 'renderer'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const script = await rendererResponse('app://isolab/assets/a.js', join(dir, 'renderer'));
    expect(await script.text()).toBe('ok()');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers 404 for anything outside the renderer or another host', async () => {
    for (const url of ['app://isolab/../secret.txt', 'app://isolab/%2e%2e/secret.txt', 'app://isolab/assets/%2e%2e%2f%2e%2e%2fsecret.txt', 'app://other/index.html', 'app://isolab/missing.js', 'not a url']) {
      const res = await rendererResponse(url, join(dir, 'renderer'));
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('SECRET');
    }
  });
});

describe('navigation, window.open, webview and permission guards', () => {
  const origins = trustedOrigins(undefined);

  function fakeContents() {
    const listeners = new Map<string, (event: any) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | null = null;
    const contents = {
      on(event: string, listener: (event: any) => void) {
        listeners.set(event, listener);
        return contents;
      },
      setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
        openHandler = handler;
      },
    };
    guardContents(contents as unknown as GuardedContents, origins);
    const fire = (name: string, url: string) => {
      let prevented = false;
      listeners.get(name)!({ url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    return { fire, open: (url: string) => openHandler!({ url }) };
  }

  it('blocks navigation and redirects away from our renderer, and allows in-app ones', () => {
    const c = fakeContents();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(c.fire(event, 'https://evil.example/')).toBe(true);
      expect(c.fire(event, 'file:///etc/passwd')).toBe(true);
      expect(c.fire(event, 'app://isolab/index.html#x')).toBe(false);
    }
    expect(c.fire('will-attach-webview', 'app://isolab/')).toBe(true);
  });

  it('denies every window.open', () => {
    const c = fakeContents();
    expect(c.open('app://isolab/index.html')).toEqual({ action: 'deny' });
    expect(c.open('https://example.com')).toEqual({ action: 'deny' });
  });

  it('denies every permission except clipboard writes from our own origin', () => {
    let request!: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
    let check!: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
    denyPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) }, origins);
    const ask = (permission: string, url: string) => {
      let granted: boolean | null = null;
      request(null, permission, (g) => (granted = g), { requestingUrl: url });
      return granted;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) {
      expect(ask(permission, APP_ENTRY_URL), permission).toBe(false);
      expect(check(null, permission, 'app://isolab'), permission).toBe(false);
    }
    expect([...ALLOWED_PERMISSIONS]).toEqual(['clipboard-sanitized-write']);
    expect(ask('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
  });

  it('computes origins of custom-scheme URLs', () => {
    expect(originOf('app://isolab/x/y.js')).toBe('app://isolab');
    expect(originOf('http://localhost:5173/a')).toBe('http://localhost:5173');
    expect(originOf('data:text/html,x')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
  });
});

describe('About, launcher and import names', () => {
  it('names Electron, the engine Node, isolated-vm and V8', () => {
    const text = aboutDetail({ app: '0.1.0', electron: '45.4.1', chrome: '140', electronNode: '22.1', electronV8: '14.0', engine: { node: '24.21.0', v8: '13.6', isolatedVm: '7.0.1' } });
    for (const part of ['0.1.0', 'Electron: 45.4.1', 'Engine Node.js: 24.21.0', 'isolated-vm: 7.0.1', 'Engine V8: 13.6']) expect(text).toContain(part);
    expect(aboutDetail({ app: '1', electron: '1', chrome: '1', electronNode: '1', electronV8: '1' })).toContain('Engine: starting');
  });

  it('starts the engine host on Node 24 with --no-node-snapshot and the host entry under the app root', () => {
    const context = (location: RuntimeLocation): RuntimeContext => ({
      platform: 'linux',
      env: {},
      ...location,
      repoRoot: location.repoRoot ?? '/unused',
      pinnedNode: () => '/node24',
      self: { execPath: '/electron', nodeMajor: 22, electron: true },
      exists: () => true,
    });
    const dev = electronLauncher({ isPackaged: false, resourcesPath: '/r', appPath: '/app' }, context);
    expect(dev.command).toBe('/node24');
    expect(dev.args).toContain('--no-node-snapshot');
    expect(dev.args.at(-1)).toBe(join('/app', 'engine', 'host', 'main.ts'));
    const packaged = electronLauncher({ isPackaged: true, resourcesPath: '/opt/Isolab/resources', appPath: '/opt/Isolab/resources/app.asar' }, context);
    expect(packaged.command).toBe('/opt/Isolab/resources/engine/bin/node');
    expect(packaged.args).toEqual(['--no-node-snapshot', '--disable-warning=ExperimentalWarning', '--max-semi-space-size=16', '/opt/Isolab/resources/engine/host.mjs']);
    expect(packaged.env).toEqual({ ISOLAB_GUEST_BUNDLE: '/opt/Isolab/resources/engine/guest.js' });
  });

  it('picks free, valid names for imported scripts', () => {
    expect(importName('util.js', new Set())).toBe('util.js');
    expect(importName('util.js', new Set(['util.js']))).toBe('util-2.js');
    expect(importName('Util.TS', new Set(['util.ts']))).toBe('Util-2.ts');
    expect(importName('.hidden.js', new Set())).toBe('hidden.js');
    expect(importName('notes.txt', new Set())).toBeNull();
  });
});
