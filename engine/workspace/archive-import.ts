/**
 * An import as the user sees it: the archive's scripts written (engine/workspace/archive.ts), its
 * settings applied through the SettingsStore (so a team policy's locks and maximums hold, one
 * setting at a time), and one ImportReport of what happened. The CLI prints it; the IDE shows it.
 */
import type { ImportReport, SettingKey, Settings } from '../common/api.ts';
import { importWorkspace, type ArchiveSource, type ImportOptions } from './archive.ts';
import { WorkspaceError } from './errors.ts';
import type { SettingsStore } from './settings-store.ts';
import type { Workspace } from './workspace.ts';

/** Why an archive's breakpoints are not applied, until the debugger (issue 12) keeps them. */
export const BREAKPOINTS_NOT_KEPT = 'this version of Isolab keeps no breakpoints';

export async function importArchive(source: ArchiveSource, workspace: Workspace, store: SettingsStore, options: ImportOptions = {}): Promise<ImportReport> {
  const summary = await importWorkspace(source, workspace, options);
  const settings: ImportReport['settings'] =
    options.settings === false
      ? { status: 'left', reason: 'not asked to apply them' }
      : summary.settings
        ? await applySettings(store, summary.settings)
        : { status: 'left', reason: 'the archive has none' };
  const count = Object.values(summary.breakpoints).reduce((n, lines) => n + lines.length, 0);
  return {
    file: summary.file,
    dir: workspace.dir,
    imported: summary.imported,
    unchanged: summary.unchanged,
    settings,
    breakpoints: { count, applied: 0, ...(count > 0 ? { reason: BREAKPOINTS_NOT_KEPT } : {}) },
    policy: store.policy?.file ?? null,
  };
}

/** One key at a time, so a setting the team policy locks is reported instead of failing the rest. */
async function applySettings(store: SettingsStore, incoming: Partial<Settings>): Promise<Extract<ImportReport['settings'], { status: 'applied' }>> {
  const current = await store.get();
  const out = { status: 'applied' as const, applied: [] as SettingKey[], refused: [] as { key: SettingKey; reason: string }[] };
  for (const [key, value] of Object.entries(incoming) as [SettingKey, Settings[SettingKey]][]) {
    if (current[key] === value) continue;
    try {
      await store.update({ [key]: value });
      out.applied.push(key);
    } catch (error) {
      if (!(error instanceof WorkspaceError)) throw error;
      out.refused.push({ key, reason: error.message });
    }
  }
  return out;
}
