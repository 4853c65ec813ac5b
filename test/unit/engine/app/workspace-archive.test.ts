/**
 * The IDE's workspace export and import through the Backend's channels: as bytes (web mode) and
 * through native file dialogs (the desktop app's ArchiveFiles, a stand-in here), with progress
 * events for the asking page, a report of what was imported, one operation at a time, and the
 * policy view the IDE draws locks, maximums, examples and the welcome script from.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportReply, type BackendEvent, type ExportReply } from '../../../../engine/common/api.ts';
import { readPolicyFile } from '../../../../engine/client/policy-file.ts';
import { Backend, type ArchiveFiles } from '../../../../engine/app/backend.ts';
import { archiveFileName, progressReporter } from '../../../../engine/app/workspace-archive.ts';
import { BREAKPOINTS_NOT_KEPT } from '../../../../engine/workspace/archive-import.ts';
import { exportWorkspaceBytes } from '../../../../engine/workspace/archive.ts';
import { SettingsStore } from '../../../../engine/workspace/settings-store.ts';
import { Workspace } from '../../../../engine/workspace/workspace.ts';
import { FakeEngine } from '../../../support/fake-engine.ts';
import { workspaceWith } from '../../../support/workspace.ts';

let dir: string;
let events: BackendEvent[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-app-archive-'));
  events = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const workspace = (name: string, scripts: Record<string, string> = {}): Promise<Workspace> => workspaceWith(join(dir, name), scripts);

function backend(ws: Workspace, extra: { archiveFiles?: ArchiveFiles; settings?: SettingsStore } = {}): Backend {
  return new Backend({
    engine: new FakeEngine(),
    workspace: () => ws,
    settings: extra.settings ?? new SettingsStore(join(dir, `settings-${ws.dir.split('/').pop()}.json`)),
    emit: (event) => events.push(event),
    now: () => new Date(2026, 2, 14, 23, 30),
    ...(extra.archiveFiles ? { archiveFiles: extra.archiveFiles } : {}),
  });
}

async function call<T>(b: Backend, channel: string, payload: unknown): Promise<T> {
  const reply = await b.dispatch(channel, payload);
  if (!reply.ok) throw new Error(`${reply.error.type}: ${reply.error.message}`);
  return reply.value as T;
}

describe('workspace.export and workspace.import as bytes (web mode)', () => {
  it('round-trips a workspace, reporting renames, unchanged scripts and settings', async () => {
    const from = backend(await workspace('from', { 'util.js': 'new', 'same.js': 'same', 'main.ts': 'return 1' }));
    await call(from, 'settings.set', { theme: 'dark' });
    const exported = await call<Extract<ExportReply, { status: 'exported' }>>(from, 'workspace.export', { via: 'bytes', operationId: 'exp-1' });
    expect(exported).toMatchObject({ status: 'exported', fileName: 'isolab-workspace-2026-03-14.zip', scripts: ['main.ts', 'same.js', 'util.js'], settings: true });
    expect(Buffer.from(exported.data!, 'base64').length).toBe(exported.sizeBytes);
    expect(events.filter((e) => e.type === 'archiveProgress').at(-1)).toEqual({ type: 'archiveProgress', operationId: 'exp-1', phase: 'packing', done: 3, total: 3 });

    const to = await workspace('to', { 'util.js': 'old', 'same.js': 'same' });
    const reply = ImportReply.parse(await call(backend(to), 'workspace.import', { from: { via: 'bytes', fileName: exported.fileName, data: exported.data }, operationId: 'imp-1' }));
    expect(reply).toEqual({
      status: 'imported',
      report: {
        file: 'isolab-workspace-2026-03-14.zip',
        dir: to.dir,
        imported: [
          { from: 'main.ts', name: 'main.ts' },
          { from: 'util.js', name: 'util-2.js' },
        ],
        unchanged: ['same.js'],
        settings: { status: 'applied', applied: ['theme'], refused: [] },
        breakpoints: { count: 0, applied: 0 },
        policy: null,
      },
    });
    expect((await to.read('util-2.js')).content).toBe('new');
    const phases = events.filter((e) => e.type === 'archiveProgress' && e.operationId === 'imp-1').map((e) => e.type === 'archiveProgress' && `${e.phase} ${e.done}/${e.total}`);
    expect(phases.at(-1)).toBe('writing 3/3');
    expect(phases).toContain('reading 3/3');
  });

  it('does not apply the settings when asked not to', async () => {
    const { bytes } = await exportWorkspaceBytes({ workspace: await workspace('a', { 'a.js': '1' }), settings: { timeoutMs: 1, memoryLimitMb: 8, cpuLimitMs: null, liveTimeoutMs: 1_000, reuseContext: true, leakIterations: 5, theme: 'dark' } }, 1 << 20);
    const b = backend(await workspace('b'));
    const reply = await call<ImportReply>(b, 'workspace.import', { from: { via: 'bytes', fileName: 'a.zip', data: bytes.toString('base64') }, settings: false });
    expect(reply).toMatchObject({ status: 'imported', report: { settings: { status: 'left', reason: 'not asked to apply them' } } });
    expect(await call(b, 'settings.get', {})).toMatchObject({ theme: 'system', timeoutMs: 10_000 });
  });

  it('refuses a hostile archive with the reason, and writes nothing', async () => {
    const ws = await workspace('t', { 'mine.js': 'x' });
    const reply = await backend(ws).dispatch('workspace.import', { from: { via: 'bytes', fileName: 'evil.zip', data: Buffer.from('PK not a zip').toString('base64') } });
    expect(reply).toEqual({ ok: false, error: { type: 'InvalidRequestError', message: expect.stringMatching(/^evil\.zip cannot be imported: not a readable zip archive.*nothing was imported$/) } });
    expect((await ws.list()).map((s) => s.name)).toEqual(['mine.js']);
  });

  it('runs one archive operation at a time, so two imports never pick the same free name', async () => {
    const a = await exportWorkspaceBytes({ workspace: await workspace('a', { 'x.js': 'from a' }) }, 1 << 20);
    const b = await exportWorkspaceBytes({ workspace: await workspace('b', { 'x.js': 'from b' }) }, 1 << 20);
    const ws = await workspace('to', { 'x.js': 'mine' });
    const be = backend(ws);
    const bytes = (name: string, data: Buffer) => ({ from: { via: 'bytes', fileName: name, data: data.toString('base64') } });
    await Promise.all([call(be, 'workspace.import', bytes('a.zip', a.bytes)), call(be, 'workspace.import', bytes('b.zip', b.bytes))]);
    const contents = await Promise.all((await ws.list()).map(async (s) => `${s.name}: ${(await ws.read(s.name)).content}`));
    expect(contents).toEqual(['x-2.js: from a', 'x-3.js: from b', 'x.js: mine']);
  });

  it('has no dialogs to offer without a desktop app', async () => {
    const be = backend(await workspace('w'));
    expect(await be.dispatch('workspace.export', { via: 'dialog' })).toMatchObject({ ok: false, error: { type: 'InvalidRequestError', message: expect.stringContaining('no file dialogs') } });
    expect(await be.dispatch('workspace.import', { from: { via: 'dialog' } })).toMatchObject({ ok: false, error: { type: 'InvalidRequestError' } });
  });
});

describe('workspace.export and workspace.import through native dialogs (the desktop app)', () => {
  it('saves where the user chose and imports what the user picked; a cancelled dialog changes nothing', async () => {
    const chosen: { save: string | null; open: string | null } = { save: join(dir, 'out', 'mine.zip'), open: null };
    const suggested: string[] = [];
    const files: ArchiveFiles = {
      chooseExportFile: async (name) => (suggested.push(name), chosen.save),
      chooseImportFile: async () => chosen.open,
    };
    await mkdir(join(dir, 'out'));
    const from = backend(await workspace('from', { 'a.js': '1' }), { archiveFiles: files });
    const exported = await call<ExportReply>(from, 'workspace.export', { via: 'dialog', settings: false });
    expect(suggested).toEqual(['isolab-workspace-2026-03-14.zip']);
    expect(exported).toMatchObject({ status: 'exported', fileName: 'mine.zip', file: chosen.save, scripts: ['a.js'], settings: false });
    expect(exported).not.toHaveProperty('data');
    expect((await readFile(chosen.save!)).subarray(0, 2).toString()).toBe('PK');

    const ws = await workspace('to');
    const to = backend(ws, { archiveFiles: files });
    expect(await call(to, 'workspace.import', { from: { via: 'dialog' } })).toEqual({ status: 'cancelled' });
    expect(await ws.list()).toEqual([]);
    chosen.open = chosen.save;
    expect(await call(to, 'workspace.import', { from: { via: 'dialog' } })).toMatchObject({ status: 'imported', report: { file: chosen.save, imported: [{ from: 'a.js', name: 'a.js' }], settings: { status: 'left', reason: 'the archive has none' } } });
    chosen.save = null;
    expect(await call(from, 'workspace.export', { via: 'dialog' })).toEqual({ status: 'cancelled' });
  });
});

describe('policy.get', () => {
  it('shows a team policy: locks with their reasons, maximums, the team examples and the welcome script', async () => {
    await mkdir(join(dir, 'policy', 'team-examples'), { recursive: true });
    await writeFile(join(dir, 'policy', 'team-examples', 'fetch-retry.js'), '// Retrying\nreturn 1');
    await writeFile(join(dir, 'policy', 'hello.ts'), 'return "team"');
    const file = join(dir, 'policy', 'policy.json');
    await writeFile(file, JSON.stringify({ version: 1, contact: 'ask #dev-tools', limits: { timeoutMs: { max: 30_000 } }, settings: { memoryLimitMb: 64 }, locked: ['memoryLimitMb'], examples: { builtIn: false, folder: 'team-examples' }, welcomeScript: 'hello.ts' }));
    const settings = new SettingsStore(join(dir, 'settings.json'), readPolicyFile(file));
    expect(await call(backend(await workspace('w'), { settings }), 'policy.get', {})).toEqual({
      file,
      contact: 'ask #dev-tools',
      locked: { memoryLimitMb: `Locked by the team policy (${file}); ask #dev-tools` },
      maximums: { timeoutMs: 30_000 },
      examples: { builtIn: false, team: [{ name: 'fetch-retry.js', content: '// Retrying\nreturn 1' }] },
      welcome: { name: 'hello.ts', content: 'return "team"' },
    });
  });

  it('shows no policy as nothing locked and Isolab\'s own examples', async () => {
    expect(await call(backend(await workspace('w')), 'policy.get', {})).toEqual({ file: null, contact: null, locked: {}, maximums: {}, examples: { builtIn: true, team: [] } });
  });
});

describe('helpers', () => {
  it('names an archive by the local date', () => {
    expect(archiveFileName(new Date(2026, 0, 5, 0, 1))).toBe('isolab-workspace-2026-01-05.zip');
  });

  it('reports progress when the percentage moves, so thousands of scripts make about a hundred events', () => {
    const out: BackendEvent[] = [];
    const report = progressReporter('op', (event) => out.push(event));
    for (let done = 0; done <= 5_000; done++) report('writing', done, 5_000);
    report('writing', 0, 0);
    expect(out).toHaveLength(101);
    expect(out.at(-1)).toEqual({ type: 'archiveProgress', operationId: 'op', phase: 'writing', done: 5_000, total: 5_000 });
    report('packing', 0, 0);
    expect(out.at(-1)).toMatchObject({ phase: 'packing', done: 0, total: 0 });
  });
});
