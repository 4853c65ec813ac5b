import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelName } from '../../../../../engine/common/api.ts';
import { WELCOME_SCRIPT } from '../../../../../engine/common/welcome.ts';
import { AUTOSAVE_DELAY_MS, chooseText, Workspace } from '../../../../../renderer/src/features/editor/workspace.ts';

/** An in-memory workspace backend and localStorage. */
function fakes(files: Record<string, string> = { 'a.js': 'A' }) {
  const disk = new Map(Object.entries(files).map(([name, content]) => [name, { content, mtimeMs: 1000 }]));
  const writes: string[] = [];
  let failWrites = false;
  const backend = {
    async call(channel: ChannelName, payload: any): Promise<any> {
      switch (channel) {
        case 'workspace.info':
          return { dir: '/ws' };
        case 'workspace.list':
          return { scripts: [...disk].map(([name, f]) => ({ name, sizeBytes: f.content.length, mtimeMs: f.mtimeMs })) };
        case 'workspace.read':
          return { name: payload.name, ...disk.get(payload.name)! };
        case 'workspace.write':
          if (failWrites) throw new Error('backend restarting');
          writes.push(`${payload.name}=${payload.content}`);
          disk.set(payload.name, { content: payload.content, mtimeMs: Date.now() });
          return { name: payload.name, sizeBytes: 0, mtimeMs: Date.now() };
        case 'workspace.rename': {
          disk.set(payload.to, disk.get(payload.from)!);
          disk.delete(payload.from);
          return { name: payload.to, sizeBytes: 0, mtimeMs: 0 };
        }
        case 'workspace.delete':
          return { deleted: disk.delete(payload.name) };
        default:
          throw new Error(`unexpected ${channel}`);
      }
    },
  };
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
  return { backend, storage, disk, writes, store, setFailWrites: (v: boolean) => (failWrites = v) };
}

describe('choosing between a file and a local draft', () => {
  it('prefers a draft typed after the file was written', () => {
    expect(chooseText({ content: 'file', mtimeMs: 10 }, { content: 'draft', at: 20 })).toEqual({ content: 'draft', dirty: true });
    expect(chooseText({ content: 'file', mtimeMs: 30 }, { content: 'draft', at: 20 })).toEqual({ content: 'file', dirty: false });
    expect(chooseText(null, { content: 'draft', at: 20 })).toEqual({ content: 'draft', dirty: true });
    expect(chooseText({ content: 'same', mtimeMs: 10 }, { content: 'same', at: 20 })).toEqual({ content: 'same', dirty: false });
  });
});

describe('Workspace', () => {
  beforeEach(() => vi.useFakeTimers({ now: 5000 }));
  afterEach(() => vi.useRealTimers());

  it('autosaves after a pause in typing, once', async () => {
    const f = fakes();
    const ws = new Workspace(f.backend, f.storage);
    await ws.load();
    ws.edit('a.js', 'A1');
    ws.edit('a.js', 'A12');
    expect(ws.store.get().dirty.has('a.js')).toBe(true);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS - 50);
    expect(f.writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(f.writes).toEqual(['a.js=A12']);
    expect(ws.store.get().dirty.has('a.js')).toBe(false);
  });

  it('restores tabs and unsaved text from local storage after a reload', async () => {
    const f = fakes({ 'a.js': 'A', 'b.js': 'B' });
    const first = new Workspace(f.backend, f.storage);
    await first.load();
    await first.open('b.js');
    first.edit('b.js', 'B typed');
    await vi.advanceTimersByTimeAsync(200); // the draft is written, the autosave is not
    expect(f.writes).toEqual([]);

    const second = new Workspace(f.backend, f.storage);
    await second.load();
    expect(second.store.get().open).toEqual(['a.js', 'b.js']);
    expect(second.store.get().active).toBe('b.js');
    expect(second.text('b.js')).toBe('B typed');
    await vi.advanceTimersByTimeAsync(10);
    expect(f.disk.get('b.js')!.content).toBe('B typed');
  });

  it('keeps the draft and retries when a save fails', async () => {
    const f = fakes();
    const ws = new Workspace(f.backend, f.storage);
    await ws.load();
    f.setFailWrites(true);
    ws.edit('a.js', 'A!');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);
    expect(ws.store.get().saveError).toContain('backend restarting');
    expect([...f.store.values()].some((v) => v.includes('A!'))).toBe(true);
    f.setFailWrites(false);
    await vi.advanceTimersByTimeAsync(2100);
    expect(f.disk.get('a.js')!.content).toBe('A!');
    expect(ws.store.get().saveError).toBeNull();
  });

  it('renames and deletes, moving the tab', async () => {
    const f = fakes({ 'a.js': 'A', 'b.js': 'B' });
    const ws = new Workspace(f.backend, f.storage);
    await ws.load();
    await ws.open('b.js');
    await ws.rename('b.js', 'c.ts');
    expect(ws.store.get().open).toEqual(['a.js', 'c.ts']);
    expect(ws.text('c.ts')).toBe('B');
    await ws.remove('c.ts');
    expect(ws.store.get().open).toEqual(['a.js']);
    expect(ws.store.get().active).toBe('a.js');
    expect(f.disk.has('c.ts')).toBe(false);
  });

  it('gives a new script a free name, ignoring case', async () => {
    const f = fakes({ 'a.js': 'A', 'B.js': 'B' });
    const ws = new Workspace(f.backend, f.storage);
    await ws.load();
    expect(await ws.create('a.js', 'x')).toBe('a-2.js');
    expect(await ws.create('b.js', 'y')).toBe('b-2.js');
    expect(f.disk.get('a.js')!.content).toBe('A');
  });

  it('creates a starter script in an empty workspace', async () => {
    const f = fakes({});
    const ws = new Workspace(f.backend, f.storage);
    await ws.load();
    expect(ws.store.get().open).toEqual(['scratch.js']);
    expect(f.disk.get('scratch.js')!.content).toBe(WELCOME_SCRIPT);
  });

  it("starts an empty workspace with the team policy's welcome script, or an empty scratch script when it says none", async () => {
    const team = fakes({});
    const ws = new Workspace(team.backend, team.storage);
    await ws.load(Promise.resolve({ name: 'team-start.ts', content: 'return "team"' }));
    expect(ws.store.get().open).toEqual(['team-start.ts']);
    expect(team.disk.get('team-start.ts')!.content).toBe('return "team"');

    const none = fakes({});
    const empty = new Workspace(none.backend, none.storage);
    await empty.load(Promise.resolve(null));
    expect(empty.store.get().open).toEqual(['scratch.js']);
    expect(none.disk.get('scratch.js')!.content).toBe('');
  });

  it('leaves a workspace with scripts alone, whatever the welcome script', async () => {
    const f = fakes({ 'mine.js': 'mine' });
    const ws = new Workspace(f.backend, f.storage);
    await ws.load(Promise.resolve({ name: 'team-start.ts', content: 'x' }));
    expect([...f.disk.keys()]).toEqual(['mine.js']);
  });

  it('re-reads the list of scripts on request (after an import)', async () => {
    const f = fakes({ 'a.js': 'A' });
    const ws = new Workspace(f.backend, f.storage);
    await ws.load();
    f.disk.set('a-2.js', { content: 'imported', mtimeMs: 1 });
    await ws.refreshList();
    expect(ws.store.get().scripts.map((s) => s.name)).toEqual(['a.js', 'a-2.js']);
  });
});
