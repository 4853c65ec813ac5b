/**
 * `isolab workspace export|import`: a workspace (scripts, settings, breakpoints) as one archive
 * file, to move it to another machine. The archive format and its defences are in
 * engine/workspace/archive.ts; this is the command line around it.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportReport } from '../common/api.ts';
import { formatBytes } from '../common/units.ts';
import { loadTeamPolicy } from '../client/policy-file.ts';
import { appPaths, defaultAppDataDir } from '../workspace/app-data.ts';
import { exportWorkspace } from '../workspace/archive.ts';
import { importArchive } from '../workspace/archive-import.ts';
import { SettingsStore } from '../workspace/settings-store.ts';
import { Workspace } from '../workspace/workspace.ts';

export const WORKSPACE_HELP = `Usage: isolab workspace export [--workspace DIR] FILE
       isolab workspace import [--workspace DIR] FILE

Moves a workspace to another machine as one archive file (a zip): every script, the settings,
and the breakpoints. Importing never overwrites: a script whose name is taken gets the next free
name (util.js → util-2.js), one with the same content is left as it is, and the command lists
what it did. Archives are checked before anything is written; a damaged or hostile one is refused.

Options:
  --workspace DIR     the workspace folder (default: the team policy's workspaceDir, else
                      <data dir>/workspace, as for isolab serve)
  --data-dir DIR      where settings.json lives (default: $ISOLAB_DATA_DIR or the desktop app's
                      user-data folder)
  --no-settings       import: leave this machine's settings as they are
  -h, --help          show this help`;

export class WorkspaceUsageError extends Error {}

interface Io {
  stdout(text: string): void;
}

export async function workspaceCommand(argv: string[], io: Io): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '-h' || action === '--help') {
    io.stdout(`${WORKSPACE_HELP}\n`);
    return action === undefined ? 2 : 0;
  }
  if (action !== 'export' && action !== 'import') throw new WorkspaceUsageError(`unknown workspace action '${action}' (export or import; see isolab workspace --help)`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: { workspace: { type: 'string' }, 'data-dir': { type: 'string' }, settings: { type: 'boolean', default: true }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new WorkspaceUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${WORKSPACE_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new WorkspaceUsageError(`isolab workspace ${action} needs exactly one archive FILE`);
  const policy = loadTeamPolicy();
  const paths = appPaths(resolve(values['data-dir'] ?? defaultAppDataDir()), values.workspace === undefined ? policy?.policy.workspaceDir : resolve(values.workspace));
  const settings = new SettingsStore(paths.settingsFile, policy);
  const file = resolve(positionals[0]!);
  if (action === 'export') {
    const workspace = await Workspace.open(paths.workspaceDir, { create: false });
    const summary = await exportWorkspace({ workspace, settings: await settings.get() }, file);
    io.stdout(`Exported ${plural(summary.scripts.length, 'script')} and the settings from ${workspace.dir} to ${file} (${formatBytes(summary.bytes)}).\n`);
    return 0;
  }
  const workspace = await Workspace.open(paths.workspaceDir);
  io.stdout(importReport(await importArchive(file, workspace, settings, { settings: values.settings })));
  return 0;
}

export function importReport(report: ImportReport): string {
  const lines = [`Imported ${plural(report.imported.length, 'script')} from ${report.file} into ${report.dir}${report.imported.length ? ':' : '.'}`];
  for (const { from, name } of report.imported) lines.push(from === name ? `  ${name}` : `  ${from} → ${name} (${from} was taken)`);
  if (report.unchanged.length) lines.push(`Already there with the same content: ${report.unchanged.join(', ')}`);
  const { settings, breakpoints } = report;
  if (settings.status === 'left') lines.push(`Settings: left as they are (${settings.reason})`);
  else {
    if (settings.applied.length) lines.push(`Settings applied: ${settings.applied.join(', ')}`);
    if (settings.refused.length) lines.push(`Settings not applied: ${settings.refused.map((r) => `${r.key} (${r.reason})`).join('; ')}`);
    if (!settings.applied.length && !settings.refused.length) lines.push('Settings: already the same here');
  }
  if (breakpoints.count > breakpoints.applied) lines.push(`Breakpoints: ${plural(breakpoints.count, 'breakpoint')} in the archive, not applied (${breakpoints.reason})`);
  if (report.policy) lines.push(`Team policy in force: ${report.policy}`);
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
