/**
 * Native dialogs of the File menu: pick a workspace folder, import a script file into the
 * workspace, export a workspace script elsewhere, and choose where a workspace archive goes or
 * which one to import (the Backend's ArchiveFiles). Electron's dialog module comes in as a
 * parameter; the naming logic is plain and tested.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import { SCRIPT_EXTENSIONS, importedScriptName } from '../../engine/common/script-files.ts';
import type { ArchiveFiles } from '../../engine/app/backend.ts';
import type { Workspace } from '../../engine/workspace/workspace.ts';
import { writeFileAtomic } from '../../engine/workspace/atomic-write.ts';

export const SCRIPT_FILTERS = [{ name: 'Scripts', extensions: [...SCRIPT_EXTENSIONS] }];
export const ARCHIVE_FILTERS = [{ name: 'Isolab workspace', extensions: ['zip'] }];

/** A free, valid workspace name for an imported file: "name.js", then "name-2.js", … */
export const importName = importedScriptName;

export interface DialogDeps {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog' | 'showErrorBox'>;
  window: () => BrowserWindow | null;
}

export async function pickWorkspaceFolder(deps: DialogDeps, current: string): Promise<string | null> {
  const win = deps.window();
  const options = { title: 'Open Workspace Folder', defaultPath: current, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const result = win ? await deps.dialog.showOpenDialog(win, options) : await deps.dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

export async function importScript(deps: DialogDeps, workspace: Workspace): Promise<string | null> {
  const win = deps.window();
  const options = { title: 'Import Script', filters: SCRIPT_FILTERS, properties: ['openFile'] as 'openFile'[] };
  const result = win ? await deps.dialog.showOpenDialog(win, options) : await deps.dialog.showOpenDialog(options);
  if (result.canceled || result.filePaths.length === 0) return null;
  const source = result.filePaths[0];
  const taken = new Set((await workspace.list()).map((s) => s.name.toLowerCase()));
  const name = importName(basename(source), taken);
  if (!name) {
    deps.dialog.showErrorBox('Cannot import', `${basename(source)} is not a .js, .ts or .mjs file.`);
    return null;
  }
  await workspace.write(name, await readFile(source, 'utf8'));
  return name;
}

export async function exportScript(deps: DialogDeps, workspace: Workspace, name: string | null): Promise<boolean> {
  if (!name) {
    deps.dialog.showErrorBox('Nothing to export', 'Open a script first.');
    return false;
  }
  const { content } = await workspace.read(name);
  const win = deps.window();
  const options = { title: 'Export Script As', defaultPath: name, filters: SCRIPT_FILTERS };
  const result = win ? await deps.dialog.showSaveDialog(win, options) : await deps.dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return false;
  await writeFileAtomic(result.filePath, content);
  return true;
}

/** Workspace archives: a save dialog for an export, an open dialog for an import; null when cancelled. */
export function archiveDialogs(deps: DialogDeps): ArchiveFiles {
  return {
    async chooseExportFile(suggestedName) {
      const win = deps.window();
      const options = { title: 'Export Workspace', defaultPath: suggestedName, filters: ARCHIVE_FILTERS };
      const result = win ? await deps.dialog.showSaveDialog(win, options) : await deps.dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseImportFile() {
      const win = deps.window();
      const options = { title: 'Import Workspace', filters: ARCHIVE_FILTERS, properties: ['openFile'] as 'openFile'[] };
      const result = win ? await deps.dialog.showOpenDialog(win, options) : await deps.dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!;
    },
  };
}
