/**
 * Workspace export and import: round trips (scripts, settings, breakpoints), conflicts by the
 * free-name rule, and hostile archives — `..` and absolute paths, backslashes, symlinks, huge
 * entries, sizes that lie (zip bombs), too many entries, duplicates, junk — each refused with a
 * clear message and nothing written, inside the workspace or outside it.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../engine/common/api.ts';
import { ARCHIVE_LIMITS, exportWorkspace, exportWorkspaceBytes, importWorkspace, MANIFEST_NAME } from '../../../../engine/workspace/archive.ts';
import { WorkspaceError } from '../../../../engine/workspace/errors.ts';
import { Workspace } from '../../../../engine/workspace/workspace.ts';
import { rawZip, type RawEntry } from '../../../support/raw-zip.ts';
import { workspaceWith } from '../../../support/workspace.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-archive-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const workspace = (name: string, scripts: Record<string, string> = {}): Promise<Workspace> => workspaceWith(join(dir, name), scripts);

async function contents(ws: Workspace): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { name } of await ws.list()) out[name] = (await ws.read(name)).content;
  return out;
}

const manifest = (scripts: string[], extra: object = {}) => JSON.stringify({ format: 'isolab-workspace', version: 1, exportedAt: '2026-01-01T00:00:00Z', scripts, ...extra });

describe('export and import round trip', () => {
  it('carries scripts, settings and breakpoints to another workspace', async () => {
    const from = await workspace('a', { 'main.ts': 'const n: number = 1;\nreturn n', 'util.js': 'export const π = "ünïcödé ✓";\n', 'empty.mjs': '' });
    const archive = join(dir, 'team.isolab.zip');
    const settings = { ...DEFAULT_SETTINGS, timeoutMs: 2_500, theme: 'dark' as const };
    const exported = await exportWorkspace({ workspace: from, settings, breakpoints: { 'main.ts': [2], 'gone.js': [1] } }, archive);
    expect(exported.scripts).toEqual(['empty.mjs', 'main.ts', 'util.js']);
    expect(exported.bytes).toBeGreaterThan(0);

    const to = await workspace('b');
    const summary = await importWorkspace(archive, to);
    expect(await contents(to)).toEqual(await contents(from));
    expect(summary.imported.map((i) => i.name).sort()).toEqual(['empty.mjs', 'main.ts', 'util.js']);
    expect(summary.unchanged).toEqual([]);
    expect(summary.settings).toEqual(settings);
    expect(summary.breakpoints).toEqual({ 'main.ts': [2] });
    const again = await importWorkspace(archive, to, { settings: false });
    expect(again).toMatchObject({ unchanged: ['empty.mjs', 'main.ts', 'util.js'], imported: [] });
    expect(again.settings).toBeUndefined();
  });

  it('resolves conflicts with the free-name rule, case-insensitively, and keeps breakpoints with their script', async () => {
    const archive = join(dir, 'x.zip');
    await exportWorkspace({ workspace: await workspace('a', { 'util.js': 'new', 'same.js': 'same', 'Notes.ts': 'theirs' }), breakpoints: { 'util.js': [1, 3] } }, archive);
    const to = await workspace('b', { 'util.js': 'old', 'util-2.js': 'older', 'same.js': 'same', 'notes.ts': 'mine' });
    const summary = await importWorkspace(archive, to);
    expect(summary.imported.sort((a, b) => a.from.localeCompare(b.from))).toEqual([
      { from: 'Notes.ts', name: 'Notes-2.ts' },
      { from: 'util.js', name: 'util-3.js' },
    ]);
    expect(summary.unchanged).toEqual(['same.js']);
    expect(summary.breakpoints).toEqual({ 'util-3.js': [1, 3] });
    expect(await contents(to)).toEqual({ 'Notes-2.ts': 'theirs', 'notes.ts': 'mine', 'same.js': 'same', 'util.js': 'old', 'util-2.js': 'older', 'util-3.js': 'new' });
  });

  it('moves as bytes too (web mode), named by the file name it came with', async () => {
    const from = await workspace('a', { 'a.js': '1', 'b.ts': 'const b = 2' });
    const { scripts, bytes } = await exportWorkspaceBytes({ workspace: from }, 1024 * 1024);
    expect(scripts).toEqual(['a.js', 'b.ts']);
    const to = await workspace('b', { 'a.js': 'other' });
    const summary = await importWorkspace({ name: 'team.zip', bytes }, to);
    expect(summary).toMatchObject({ file: 'team.zip', imported: [{ from: 'a.js', name: 'a-2.js' }, { from: 'b.ts', name: 'b.ts' }] });
    const error = await importWorkspace({ name: 'junk.zip', bytes: Buffer.from('PK junk') }, to).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^junk\.zip cannot be imported: not a readable zip archive .*; nothing was imported$/);
  });

  it('refuses to hand over an archive larger than the caller can carry', async () => {
    const big = await workspace('big', { 'noise.js': Array.from({ length: 20_000 }, (_, i) => `${(i * 2654435761) % 1e9}`).join(',') });
    await expect(exportWorkspaceBytes({ workspace: big }, 1_000)).rejects.toMatchObject({ type: 'InvalidRequestError', message: expect.stringMatching(/larger than .* MiB, the most that can be sent as bytes; export it with isolab workspace export FILE/) });
  });

  it('reports progress per phase, from 0 to the total', async () => {
    const from = await workspace('a', { 'a.js': '1', 'b.js': '2', 'c.js': '3' });
    const steps: string[] = [];
    const { bytes } = await exportWorkspaceBytes({ workspace: from, onProgress: (phase, done, total) => steps.push(`${phase} ${done}/${total}`) }, 1024 * 1024);
    await importWorkspace({ name: 'x.zip', bytes }, await workspace('b', { 'b.js': '2' }), { onProgress: (phase, done, total) => steps.push(`${phase} ${done}/${total}`) });
    expect(steps).toEqual(['packing 0/3', 'packing 1/3', 'packing 2/3', 'packing 3/3', 'reading 0/3', 'reading 1/3', 'reading 2/3', 'reading 3/3', 'writing 0/3', 'writing 1/3', 'writing 2/3', 'writing 3/3']);
  });

  it('never leaves a partial archive behind when the target folder does not exist', async () => {
    await expect(exportWorkspace({ workspace: await workspace('a', { 'a.js': '1' }) }, join(dir, 'no', 'such', 'x.zip'))).rejects.toThrow(/ENOENT/);
  });
});

describe('hostile archives are refused, and nothing is written', () => {
  const ok = (name = 'ok.js'): RawEntry[] => [
    { name: MANIFEST_NAME, data: manifest([name]) },
    { name: `scripts/${name}`, data: 'return 1' },
  ];

  async function refusedImport(entries: RawEntry[] | Buffer, message: RegExp, limits = ARCHIVE_LIMITS): Promise<void> {
    const archive = join(dir, 'hostile.zip');
    await writeFile(archive, Buffer.isBuffer(entries) ? entries : rawZip(entries));
    const target = await workspace('target', { 'mine.js': 'mine' });
    const before = await readdir(dir);
    const error = await importWorkspace(archive, target, { limits }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(`${archive} cannot be imported`);
    expect((error as Error).message).toMatch(/nothing was imported$/);
    expect(await readdir(target.dir)).toEqual(['mine.js']);
    expect(await readdir(dir)).toEqual(before);
  }

  it('accepts the well-formed archive these are built from (so each refusal below is about its flaw)', async () => {
    const archive = join(dir, 'fine.zip');
    await writeFile(archive, rawZip(ok()));
    expect((await importWorkspace(archive, await workspace('fine'))).imported).toEqual([{ from: 'ok.js', name: 'ok.js' }]);
  });

  it('refuses paths with ..', async () => {
    await refusedImport([...ok(), { name: 'scripts/../../evil.js', data: 'x' }], /invalid relative path: scripts\/\.\.\/\.\.\/evil\.js/);
    await refusedImport([...ok(), { name: '../evil.js', data: 'x' }], /invalid relative path/);
  });

  it('refuses absolute paths and backslashes', async () => {
    await refusedImport([...ok(), { name: '/tmp/evil.js', data: 'x' }], /absolute path: \/tmp\/evil\.js/);
    await refusedImport([...ok(), { name: 'C:/evil.js', data: 'x' }], /absolute path/);
    await refusedImport([...ok(), { name: 'scripts\\..\\evil.js', data: 'x' }], /invalid characters in fileName/);
  });

  it('refuses symlinks and folders', async () => {
    await refusedImport([{ name: MANIFEST_NAME, data: manifest(['link.js']) }, { name: 'scripts/link.js', data: '/etc/passwd', unixMode: 0o120777 }], /scripts\/link\.js is not a regular file/);
    await refusedImport([...ok(), { name: 'scripts/sub/', data: '', unixMode: 0o040755 }], /is not a regular file|is a folder/);
  });

  it('refuses entries over the script size limit without inflating them', async () => {
    const big = Buffer.alloc(ARCHIVE_LIMITS.maxScriptBytes + 1, 0x20);
    await refusedImport([{ name: MANIFEST_NAME, data: manifest(['big.js']) }, { name: 'scripts/big.js', data: big }], /scripts\/big\.js is 16777217 bytes, over the 16 MiB script limit/);
  });

  it('refuses a zip bomb whose headers lie about its size', async () => {
    const bomb = Buffer.alloc(64 * 1024 * 1024, 0x61); // deflates to ~64 KB
    await refusedImport([{ name: MANIFEST_NAME, data: manifest(['bomb.js']) }, { name: 'scripts/bomb.js', data: bomb, declaredSize: 100 }], /too many bytes in the stream|inflates past/);
  });

  it('refuses archives that inflate past the total limit or have too many entries', async () => {
    const entries: RawEntry[] = [{ name: MANIFEST_NAME, data: manifest(['a.js', 'b.js']) }, { name: 'scripts/a.js', data: 'a'.repeat(600) }, { name: 'scripts/b.js', data: 'b'.repeat(600) }];
    await refusedImport(entries, /inflates to more than/, { ...ARCHIVE_LIMITS, maxTotalBytes: 1_000 });
    await refusedImport(entries, /it has 3 entries, over the limit of 2/, { ...ARCHIVE_LIMITS, maxEntries: 2 });
  });

  it('refuses duplicates, unexpected entries, a missing or mismatched manifest, non-UTF-8 scripts and non-zips', async () => {
    await refusedImport([...ok(), { name: 'scripts/ok.js', data: 'again' }], /scripts\/ok\.js appears twice/);
    await refusedImport([...ok(), { name: 'notes.txt', data: 'x' }], /unexpected entry "notes\.txt"/);
    await refusedImport([...ok(), { name: 'scripts/.hidden.js', data: 'x' }], /unexpected entry "scripts\/\.hidden\.js"/);
    await refusedImport([{ name: 'scripts/ok.js', data: '1' }], /has no isolab-workspace\.json/);
    await refusedImport([{ name: MANIFEST_NAME, data: manifest(['other.js']) }, { name: 'scripts/ok.js', data: '1' }], /do not match the scripts\/ entries/);
    await refusedImport([{ name: MANIFEST_NAME, data: '{"format":"zip"}' }], /isolab-workspace\.json: format/);
    await refusedImport([{ name: MANIFEST_NAME, data: manifest(['bin.js']) }, { name: 'scripts/bin.js', data: Buffer.from([0xff, 0xfe, 0x00]) }], /scripts\/bin\.js is not UTF-8 text/);
    await refusedImport(Buffer.from('this is not a zip file at all'), /not a readable zip archive/);
  });

  it('says so when the archive does not exist', async () => {
    await expect(importWorkspace(join(dir, 'missing.zip'), await workspace('t'))).rejects.toMatchObject({ type: 'NotFoundError', message: `${join(dir, 'missing.zip')}: no such file` });
  });
});

describe('exported archive', () => {
  it('holds only the manifest and scripts/<name>', async () => {
    const archive = join(dir, 'x.zip');
    await exportWorkspace({ workspace: await workspace('a', { 'a.js': '1' }) }, archive);
    const bytes = await readFile(archive);
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(bytes.includes(Buffer.from('scripts/a.js'))).toBe(true);
    expect(bytes.includes(Buffer.from(MANIFEST_NAME))).toBe(true);
  });
});
