/**
 * The desktop app's workspace archive dialogs, with a stand-in for Electron's dialog module: a
 * save dialog for an export (the suggested name, zip filter, attached to the window), an open
 * dialog for an import, and null whenever the user cancels.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserWindow } from 'electron';
import { ARCHIVE_FILTERS, archiveDialogs, type DialogDeps } from '../../../../electron/main/file-dialogs.ts';

type Result = { canceled: boolean; filePath?: string; filePaths?: string[] };

function standIn(answer: Result, win: object | null = { id: 'main-window' }) {
  const calls: { kind: string; parent: unknown; options: Record<string, unknown> }[] = [];
  const record = (kind: string) => async (...args: unknown[]) => {
    const [parent, options] = args.length === 2 ? args : [null, args[0]];
    calls.push({ kind, parent, options: options as Record<string, unknown> });
    return { filePaths: [], ...answer };
  };
  const deps = {
    dialog: { showSaveDialog: record('save'), showOpenDialog: record('open'), showErrorBox: () => undefined },
    window: () => win as BrowserWindow | null,
  } as unknown as DialogDeps;
  return { deps, calls };
}

describe('archiveDialogs', () => {
  it('asks where to save an export, suggesting the name, with the window as parent', async () => {
    const { deps, calls } = standIn({ canceled: false, filePath: '/home/ada/team.zip' });
    expect(await archiveDialogs(deps).chooseExportFile('isolab-workspace-2026-03-14.zip')).toBe('/home/ada/team.zip');
    expect(calls).toEqual([{ kind: 'save', parent: { id: 'main-window' }, options: { title: 'Export Workspace', defaultPath: 'isolab-workspace-2026-03-14.zip', filters: ARCHIVE_FILTERS } }]);
  });

  it('asks which archive to import, one file', async () => {
    const { deps, calls } = standIn({ canceled: false, filePaths: ['/home/ada/team.zip'] }, null);
    expect(await archiveDialogs(deps).chooseImportFile()).toBe('/home/ada/team.zip');
    expect(calls).toEqual([{ kind: 'open', parent: null, options: { title: 'Import Workspace', filters: ARCHIVE_FILTERS, properties: ['openFile'] } }]);
  });

  it('answers null when the user cancels either dialog', async () => {
    const { deps } = standIn({ canceled: true, filePath: '/ignored.zip', filePaths: ['/ignored.zip'] });
    expect(await archiveDialogs(deps).chooseExportFile('x.zip')).toBeNull();
    expect(await archiveDialogs(deps).chooseImportFile()).toBeNull();
    const empty = standIn({ canceled: false, filePath: '', filePaths: [] });
    expect(await archiveDialogs(empty.deps).chooseExportFile('x.zip')).toBeNull();
    expect(await archiveDialogs(empty.deps).chooseImportFile()).toBeNull();
  });
});
