/**
 * The application menu as a plain template. Run, Stop and Profile leaks (and New/Save) do not act
 * in main: they send `{ type: 'menu', action }` to the renderer, which owns the editor state and
 * does exactly what its own buttons do (Export/Import Workspace too: the renderer saves its tabs,
 * then asks main for the native dialog through its channel). Workspace folder and script
 * import/export use native dialogs in main. Labels and accelerators come from the shortcut table in engine/common, which the editor,
 * the tooltips and the README follow too.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { BackendEvent } from '../../engine/common/api.ts';
import { SHORTCUTS, menuAccelerator, type ShortcutName } from '../../engine/common/shortcuts.ts';

export type MenuAction = Extract<BackendEvent, { type: 'menu' }>['action'];

function shortcutItem(name: ShortcutName, click: () => void): MenuItemConstructorOptions {
  return { label: SHORTCUTS[name].label, accelerator: menuAccelerator(name), click };
}

export interface MenuHandlers {
  platform: NodeJS.Platform;
  appName: string;
  /** Development builds get reload and DevTools; packaged builds do not. */
  dev: boolean;
  send: (action: MenuAction) => void;
  openWorkspace: () => void;
  importScript: () => void;
  exportScript: () => void;
  showAbout: () => void;
}

export function buildMenuTemplate(h: MenuHandlers): MenuItemConstructorOptions[] {
  const mac = h.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: `About ${h.appName}`, click: () => h.showAbout() };
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: h.appName,
      submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push({
    label: 'File',
    submenu: [
      shortcutItem('newScript', () => h.send('newScript')),
      shortcutItem('save', () => h.send('save')),
      { type: 'separator' },
      shortcutItem('openWorkspace', () => h.openWorkspace()),
      { label: 'Import Script…', click: () => h.importScript() },
      shortcutItem('exportScript', () => h.exportScript()),
      { type: 'separator' },
      // The renderer saves its open tabs first, then asks main (workspace.export|import) for the dialog.
      { label: 'Export Workspace…', click: () => h.send('exportWorkspace') },
      { label: 'Import Workspace…', click: () => h.send('importWorkspace') },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  });
  // Monaco relies on the native edit roles for clipboard and undo shortcuts on macOS.
  template.push({ role: 'editMenu' });
  template.push({
    label: 'Run',
    submenu: [
      shortcutItem('run', () => h.send('run')),
      shortcutItem('debug', () => h.send('debug')),
      shortcutItem('stop', () => h.send('stop')),
      { type: 'separator' },
      shortcutItem('profileCpu', () => h.send('profileCpu')),
      shortcutItem('profileLeaks', () => h.send('profileLeaks')),
    ],
  });
  // The page binds the stepping keys itself; the menu lists them so they can be found, and owns
  // them in the desktop app (F10 would otherwise open the menu bar on Windows and Linux).
  template.push({
    label: 'Debug',
    submenu: [
      shortcutItem('stepOver', () => h.send('stepOver')),
      shortcutItem('stepInto', () => h.send('stepInto')),
      shortcutItem('stepOut', () => h.send('stepOut')),
      { type: 'separator' },
      shortcutItem('toggleBreakpoint', () => h.send('toggleBreakpoint')),
    ],
  });
  template.push({
    label: 'View',
    submenu: [
      ...(h.dev ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      // F11 is Step Into, as in VS Code.
      { role: 'togglefullscreen', accelerator: menuAccelerator('fullScreen') },
    ],
  });
  template.push({ role: 'windowMenu' });
  if (!mac) template.push({ role: 'help', submenu: [about] });
  return template;
}
