/**
 * The application menu as a plain template. Run, Stop and Profile leaks (and New/Save) do not act
 * in main: they send `{ type: 'menu', action }` to the renderer, which owns the editor state and
 * does exactly what its own buttons do. Workspace folder and import/export use native dialogs in
 * main. The shortcuts are exported so docs and the renderer can name the same keys.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { BackendEvent } from '../../engine/common/api.ts';

export type MenuAction = Extract<BackendEvent, { type: 'menu' }>['action'];

export const SHORTCUTS = {
  run: 'CmdOrCtrl+Enter',
  stop: 'CmdOrCtrl+.',
  profileLeaks: 'CmdOrCtrl+Alt+Enter',
  newScript: 'CmdOrCtrl+N',
  save: 'CmdOrCtrl+S',
  openWorkspace: 'CmdOrCtrl+O',
  exportScript: 'CmdOrCtrl+Shift+S',
} as const;

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
      { label: 'New Script', accelerator: SHORTCUTS.newScript, click: () => h.send('newScript') },
      { label: 'Save', accelerator: SHORTCUTS.save, click: () => h.send('save') },
      { type: 'separator' },
      { label: 'Open Workspace Folder…', accelerator: SHORTCUTS.openWorkspace, click: () => h.openWorkspace() },
      { label: 'Import Script…', click: () => h.importScript() },
      { label: 'Export Script As…', accelerator: SHORTCUTS.exportScript, click: () => h.exportScript() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  });
  // Monaco relies on the native edit roles for clipboard and undo shortcuts on macOS.
  template.push({ role: 'editMenu' });
  template.push({
    label: 'Run',
    submenu: [
      { label: 'Run', accelerator: SHORTCUTS.run, click: () => h.send('run') },
      { label: 'Stop', accelerator: SHORTCUTS.stop, click: () => h.send('stop') },
      { type: 'separator' },
      { label: 'Profile Leaks', accelerator: SHORTCUTS.profileLeaks, click: () => h.send('profileLeaks') },
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
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  if (!mac) template.push({ role: 'help', submenu: [about] });
  return template;
}
