/**
 * Electron main: app lifecycle, the one window, the IPC router and engine supervision. Kept thin
 * on purpose (the Electron binary is not installable on our build machines): every decision lives
 * in a plain module next to this file that the unit tests exercise under Node.
 */
import { join } from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session } from 'electron';
import type { WebContents } from 'electron';
import type { BackendEvent, ChannelName } from '../../engine/common/api.ts';
import { EngineClient } from '../../engine/client/engine-client.ts';
import { Backend } from '../../engine/app/backend.ts';
import type { CallContext } from '../../engine/app/backend.ts';
import { Callers } from '../../engine/app/caller.ts';
import { contentSecurityPolicy } from '../../engine/app/csp.ts';
import { loadTeamPolicy, policyWelcomeScript } from '../../engine/client/policy-file.ts';
import { SettingsStore } from '../../engine/workspace/settings-store.ts';
import { Workspace } from '../../engine/workspace/workspace.ts';
import { aboutDetail } from './about.ts';
import { loadAppState, saveAppState } from './app-state.ts';
import { electronLauncher } from './engine-launcher.ts';
import { archiveDialogs, exportScript, importScript, pickWorkspaceFolder } from './file-dialogs.ts';
import type { GuardedContents, PermissionSession } from './hardening.ts';
import { denyPermissions, guardContents } from './hardening.ts';
import { EVENT_CHANNEL } from './ipc-names.ts';
import { registerIpcRouter } from './ipc-router.ts';
import type { MenuAction } from './menu-template.ts';
import { buildMenuTemplate } from './menu-template.ts';
import type { PageContents } from './page-lifetime.ts';
import { onPageGone } from './page-lifetime.ts';
import { APP_ENTRY_URL, APP_SCHEME, trustedOrigins } from './renderer-origin.ts';
import { APP_SCHEME_PRIVILEGES, rendererResponse } from './renderer-protocol.ts';
import { checkSender } from './sender-check.ts';
import { createMainWindow } from './window-options.ts';

// Must happen before 'ready': the scheme gets a real, secure origin (not file://'s opaque one).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();
// Tests and side-by-side profiles point the app at their own data folder.
if (process.env.ISOLAB_USER_DATA_DIR) app.setPath('userData', process.env.ISOLAB_USER_DATA_DIR);

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const origins = trustedOrigins(devServerUrl);
const rendererDir = join(import.meta.dirname, '../renderer');
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

let mainWindow: BrowserWindow | null = null;
let engine: EngineClient | null = null;
let backend: Backend | null = null;
let workspace: Workspace | null = null;
/** The script the renderer last opened or saved: what "Export Script As…" exports. */
let activeScript: string | null = null;
/** The pages calling the backend, by webContents id: a page's runs end with it. */
const callers = new Callers<number>((runId) => engine?.cancel(runId));

function log(message: string): void {
  process.stderr.write(`[isolab] ${message}\n`);
}

/** To the window, unless its page is `except` (which got the same data as its reply). */
function send(event: BackendEvent, except?: CallContext): void {
  const contents = mainWindow?.webContents;
  if (!contents || contents.isDestroyed()) return;
  if (except !== undefined && callers.find(contents.id) === except) return;
  contents.send(EVENT_CHANNEL, event);
}

function sendMenu(action: MenuAction): void {
  send({ type: 'menu', action });
}

app.on('web-contents-created', (_event, contents: WebContents) => {
  guardContents(contents as unknown as GuardedContents, origins, (what, url) => log(`blocked ${what} to ${url}`));
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // .catch, not a second .then argument: a failure inside start() (an invalid team policy, an engine
  // that cannot start) must reach the error box too.
  app.whenReady().then(start).catch(fail);
}

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log(`startup failed: ${message}`);
  dialog.showErrorBox('Isolab could not start', message);
  app.exit(1);
}

async function start(): Promise<void> {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(request.url, rendererDir));
  denyPermissions(session.defaultSession as unknown as PermissionSession, origins);
  if (devServerUrl) applyDevServerCsp(devServerUrl);

  // An invalid team policy stops the app with the file's path and the problem (fail() shows it).
  const policy = loadTeamPolicy(app.isPackaged ? { resourcesPath: process.resourcesPath } : {});
  const userData = app.getPath('userData');
  const statePath = join(userData, 'state.json');
  const state = await loadAppState(statePath);
  const defaultWorkspace = policy?.policy.workspaceDir ?? join(userData, 'workspace');
  const seed = { seedWelcome: true, welcome: policyWelcomeScript(policy) };
  workspace = await Workspace.open(state.workspaceDir ?? defaultWorkspace, seed).catch((error: unknown) => {
    log(`workspace ${state.workspaceDir} unavailable (${(error as Error).message}); using the default one`);
    return Workspace.open(defaultWorkspace, seed);
  });
  const settings = new SettingsStore(join(userData, 'settings.json'), policy);

  engine = await EngineClient.start({
    launcher: electronLauncher({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
    policy,
    // The desktop app is long-lived: a warm spare engine host makes a replacement take milliseconds.
    spareHost: true,
  });
  const dialogs = { dialog, window: () => mainWindow };
  backend = new Backend({ engine, workspace: () => workspace!, settings, emit: send, archiveFiles: archiveDialogs(dialogs) });
  backend.attach();

  registerIpcRouter(ipcMain, {
    checkSender: (event) => checkSender(event, { webContentsId: () => mainWindow?.webContents.id, origins }),
    dispatch: async (channel: ChannelName, payload: unknown, sender) => {
      const reply = await backend!.dispatch(channel, payload, callers.of(sender.id));
      if (reply.ok && (channel === 'workspace.read' || channel === 'workspace.write')) {
        activeScript = (reply.value as { name: string }).name;
      }
      return reply;
    },
    onRefused: (channel, reason) => log(`refused ${channel}: ${reason}`),
  });

  const guarded = (work: () => Promise<unknown>) => () => {
    work().catch((error: unknown) => dialog.showErrorBox('Isolab', error instanceof Error ? error.message : String(error)));
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: 'Isolab',
        dev: !app.isPackaged,
        send: sendMenu,
        openWorkspace: guarded(async () => {
          const dir = await pickWorkspaceFolder(dialogs, workspace!.dir);
          if (!dir) return;
          workspace = await Workspace.open(dir);
          activeScript = null;
          await saveAppState(statePath, { workspaceDir: workspace.dir });
          sendMenu('openWorkspace');
        }),
        importScript: guarded(async () => {
          if (await importScript(dialogs, workspace!)) sendMenu('openWorkspace');
        }),
        exportScript: guarded(async () => {
          // Flush the editor first, so the file on disk is what the user sees.
          sendMenu('save');
          await new Promise((resolve) => setTimeout(resolve, 300));
          await exportScript(dialogs, workspace!, activeScript);
        }),
        showAbout: () => void showAbout(),
      }),
    ),
  );

  createWindow();
  app.on('activate', () => {
    if (!mainWindow) createWindow();
  });
}

function createWindow(): void {
  const win = createMainWindow(BrowserWindow, preloadPath);
  mainWindow = win;
  const contentsId = win.webContents.id;
  onPageGone(win.webContents as unknown as PageContents, () => callers.end(contentsId));
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(devServerUrl ?? APP_ENTRY_URL);
}

async function showAbout(): Promise<void> {
  const detail = aboutDetail({
    app: app.getVersion(),
    electron: process.versions.electron ?? '?',
    chrome: process.versions.chrome ?? '?',
    electronNode: process.versions.node,
    electronV8: process.versions.v8,
    engine: engine?.versions,
  });
  const options = { type: 'info' as const, title: 'About Isolab', message: 'Isolab', detail, buttons: ['OK'] };
  if (mainWindow) await dialog.showMessageBox(mainWindow, options);
  else await dialog.showMessageBox(options);
}

/** The dev server's responses get the same policy, plus what Vite's HMR client needs. */
function applyDevServerCsp(url: string): void {
  const dev = new URL(url);
  const csp = contentSecurityPolicy({ devServer: true, connect: [`ws://${dev.host}`] });
  session.defaultSession.webRequest.onHeadersReceived({ urls: [`${dev.origin}/*`] }, (details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !engine) return;
  // Let the engine host shut down cleanly instead of orphaning it.
  event.preventDefault();
  quitting = true;
  backend?.dispose();
  void engine.close().finally(() => app.quit());
});
