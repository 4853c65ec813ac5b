import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { BackendEvent } from '../../../../engine/common/api.ts';
import { SHORTCUT_NAMES, menuAccelerator } from '../../../../engine/common/shortcuts.ts';
import { buildMenuTemplate } from '../../../../electron/main/menu-template.ts';
import type { MenuAction, MenuHandlers } from '../../../../electron/main/menu-template.ts';

function build(platform: NodeJS.Platform, dev = false) {
  const sent: MenuAction[] = [];
  const calls: string[] = [];
  const handlers: MenuHandlers = {
    platform,
    appName: 'Isolab',
    dev,
    send: (action) => sent.push(action),
    openWorkspace: () => calls.push('openWorkspace'),
    importScript: () => calls.push('importScript'),
    exportScript: () => calls.push('exportScript'),
    showAbout: () => calls.push('about'),
  };
  return { template: buildMenuTemplate(handlers), sent, calls };
}

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

function find(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const item = items(template).find((i) => i.label === label && i.click);
  if (!item) throw new Error(`no menu item ${label}`);
  return item;
}

const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

describe('application menu', () => {
  for (const platform of ['darwin', 'linux', 'win32'] as const) {
    it(`${platform}: Run, Stop and Profile Leaks have shortcuts and send valid menu events`, () => {
      const { template, sent } = build(platform);
      for (const [label, action] of [
        ['Run', 'run'],
        ['Debug / Continue', 'debug'],
        ['Step Over', 'stepOver'],
        ['Step Into', 'stepInto'],
        ['Step Out', 'stepOut'],
        ['Toggle Breakpoint', 'toggleBreakpoint'],
        ['Stop', 'stop'],
        ['Profile CPU', 'profileCpu'],
        ['Profile Leaks', 'profileLeaks'],
        ['New Script', 'newScript'],
        ['Save', 'save'],
      ] as const) {
        const item = find(template, label);
        expect(item.accelerator, label).toBe(menuAccelerator(action));
        click(item);
        expect(sent.at(-1)).toBe(action);
        expect(BackendEvent.safeParse({ type: 'menu', action }).success).toBe(true);
      }
    });

    it(`${platform}: workspace, import, export and About go to main's handlers`, () => {
      const { template, calls } = build(platform);
      click(find(template, 'Open Workspace Folder…'));
      click(find(template, 'Import Script…'));
      click(find(template, 'Export Script As…'));
      click(find(template, 'About Isolab'));
      expect(calls).toEqual(['openWorkspace', 'importScript', 'exportScript', 'about']);
    });
  }

  it('sends Export and Import Workspace to the renderer, which saves its tabs before asking main for the dialog', () => {
    const { template, sent, calls } = build('linux');
    click(find(template, 'Export Workspace…'));
    click(find(template, 'Import Workspace…'));
    expect(sent).toEqual(['exportWorkspace', 'importWorkspace']);
    expect(calls).toEqual([]);
    for (const action of sent) expect(BackendEvent.safeParse({ type: 'menu', action }).success).toBe(true);
  });

  it('uses distinct accelerators, each from the shortcut table', () => {
    const accelerators = items(build('linux').template).flatMap((i) => (i.accelerator ? [String(i.accelerator)] : []));
    expect(accelerators.sort()).toEqual(SHORTCUT_NAMES.map(menuAccelerator).sort());
    expect(new Set(accelerators).size).toBe(accelerators.length);
    expect(find(build('linux').template, 'Stop').accelerator).toBe('Shift+F5');
    expect(find(build('linux').template, 'Debug / Continue').accelerator).toBe('F5');
    expect(find(build('linux').template, 'Profile Leaks').accelerator).toBe('CmdOrCtrl+Shift+L');
  });

  it('puts the app menu first on macOS only', () => {
    expect(build('darwin').template[0].label).toBe('Isolab');
    expect(build('linux').template[0].label).toBe('File');
  });

  it('offers reload and DevTools only in development', () => {
    const roles = (dev: boolean) => items(build('linux', dev).template).map((i) => i.role);
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
  });
});
