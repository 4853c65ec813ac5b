/**
 * An import as the user sees it (the CLI's lines, the IDE's summary): scripts renamed by the
 * free-name rule or left alone, settings applied one at a time through the store so the team
 * policy's locks and maximums hold and are reported with their reason, breakpoints reported as not
 * kept.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../engine/common/api.ts';
import { parseTeamPolicy } from '../../../../engine/common/policy.ts';
import { exportWorkspaceBytes } from '../../../../engine/workspace/archive.ts';
import { BREAKPOINTS_NOT_KEPT, importArchive } from '../../../../engine/workspace/archive-import.ts';
import { SettingsStore } from '../../../../engine/workspace/settings-store.ts';
import { Workspace } from '../../../../engine/workspace/workspace.ts';
import { workspaceWith } from '../../../support/workspace.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-import-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function archive(scripts: Record<string, string>, extra: { settings?: typeof DEFAULT_SETTINGS; breakpoints?: Record<string, number[]> } = {}): Promise<Buffer> {
  const ws = await workspaceWith(join(dir, `from-${Object.keys(scripts).join('-')}`), scripts);
  return (await exportWorkspaceBytes({ workspace: ws, ...extra }, 1024 * 1024)).bytes;
}

describe('importArchive', () => {
  it('reports renamed and unchanged scripts, applied settings and the breakpoints it could not keep', async () => {
    const bytes = await archive({ 'util.js': 'new', 'same.js': 'same' }, { settings: { ...DEFAULT_SETTINGS, timeoutMs: 2_000, theme: 'dark' }, breakpoints: { 'util.js': [1, 2] } });
    const to = await Workspace.open(join(dir, 'to'));
    await to.write('util.js', 'old');
    await to.write('same.js', 'same');
    const store = new SettingsStore(join(dir, 'settings.json'));
    const report = await importArchive({ name: 'team.zip', bytes }, to, store);
    expect(report).toEqual({
      file: 'team.zip',
      dir: to.dir,
      imported: [{ from: 'util.js', name: 'util-2.js' }],
      unchanged: ['same.js'],
      settings: { status: 'applied', applied: ['timeoutMs', 'theme'], refused: [] },
      breakpoints: { count: 2, applied: 0, reason: BREAKPOINTS_NOT_KEPT },
      policy: null,
    });
    expect(await store.get()).toMatchObject({ timeoutMs: 2_000, theme: 'dark' });
  });

  it('applies what the team policy allows and says why the rest was not applied', async () => {
    const file = '/etc/isolab/policy.json';
    const policy = { file, policy: parseTeamPolicy(file, JSON.stringify({ version: 1, contact: 'ask #dev-tools', limits: { timeoutMs: { max: 5_000 } }, locked: ['memoryLimitMb'] })) };
    const bytes = await archive({ 'a.js': '1' }, { settings: { ...DEFAULT_SETTINGS, timeoutMs: 60_000, memoryLimitMb: 512, theme: 'light' } });
    const store = new SettingsStore(join(dir, 'settings.json'), policy);
    const report = await importArchive({ name: 'x.zip', bytes }, await Workspace.open(join(dir, 'to')), store);
    expect(report.settings).toEqual({
      status: 'applied',
      applied: ['theme'],
      refused: [
        { key: 'timeoutMs', reason: `timeoutMs 60000 is over the maximum of 5000 set by the team policy (${file}); ask #dev-tools` },
        { key: 'memoryLimitMb', reason: `memoryLimitMb is locked by the team policy (${file}); ask #dev-tools` },
      ],
    });
    expect(report.policy).toBe(file);
    expect(await store.get()).toMatchObject({ timeoutMs: 5_000, memoryLimitMb: DEFAULT_SETTINGS.memoryLimitMb, theme: 'light' });
  });

  it('leaves the settings alone when asked to, or when the archive has none, and says which', async () => {
    const store = new SettingsStore(join(dir, 'settings.json'));
    const withSettings = await archive({ 'a.js': '1' }, { settings: { ...DEFAULT_SETTINGS, theme: 'dark' } });
    const report = await importArchive({ name: 'x.zip', bytes: withSettings }, await Workspace.open(join(dir, 'to')), store, { settings: false });
    expect(report.settings).toEqual({ status: 'left', reason: 'not asked to apply them' });
    expect((await store.get()).theme).toBe('system');
    const without = await archive({ 'b.js': '2' });
    expect((await importArchive({ name: 'y.zip', bytes: without }, await Workspace.open(join(dir, 'to')), store)).settings).toEqual({ status: 'left', reason: 'the archive has none' });
    expect(report.breakpoints).toEqual({ count: 0, applied: 0 });
  });
});
