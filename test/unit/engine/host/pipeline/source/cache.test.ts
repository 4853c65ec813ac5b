import { utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BundleCache, foldersOf, RACY_WINDOW_MS } from '../../../../../../engine/host/pipeline/source/cache.ts';
import type { BundleInput } from '../../../../../../engine/host/pipeline/source/plugins.ts';
import { makeWorkspace, removeWorkspace } from '../../../../../support/module-workspace.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeWorkspace));

function input(path: string, text: string, mtimeMs: number): BundleInput {
  return { path, size: Buffer.byteLength(text), mtimeMs, hash: createHash('sha256').update(text).digest('hex') };
}

const bundle = { wrapped: { code: 'x', insertions: [], topLevelNames: [] }, files: 2, bytes: 1 };

/** A workspace with one file whose modification time is `ageMs` in the past. */
function setup(ageMs: number) {
  const dir = makeWorkspace({ 'a.js': 'export const a = 1;\n' });
  dirs.push(dir);
  const path = join(dir, 'a.js');
  const mtime = Date.now() - ageMs;
  utimesSync(path, mtime / 1000, mtime / 1000);
  return { dir, path, mtime };
}

describe('BundleCache', () => {
  it('finds a bundle while its files and folders are unchanged', async () => {
    const { dir, path, mtime } = setup(60_000);
    const cache = new BundleCache();
    await cache.store('k', bundle, [input(path, 'export const a = 1;\n', mtime)], dir, Date.now());
    expect(await cache.lookup('k')).toBe(bundle);
    expect(await cache.lookup('other')).toBeUndefined();
  });

  it('drops a bundle whose file changed, and one whose folder gained a file', async () => {
    const { dir, path, mtime } = setup(60_000);
    const cache = new BundleCache();
    await cache.store('k', bundle, [input(path, 'export const a = 1;\n', mtime)], dir, Date.now());
    writeFileSync(path, 'export const a = 2;\n');
    expect(await cache.lookup('k')).toBeUndefined();
    writeFileSync(path, 'export const a = 1;\n');
    await cache.store('k', bundle, [input(path, 'export const a = 1;\n', mtime)], dir, Date.now());
    utimesSync(path, mtime / 1000, mtime / 1000);
    writeFileSync(join(dir, 'a.ts'), 'export const a = 3;\n');
    expect(await cache.lookup('k')).toBeUndefined();
  });

  it('checks the content of a file whose time changed, or is too recent to trust', async () => {
    const { dir, path, mtime } = setup(60_000);
    const cache = new BundleCache();
    // Same content, new time (touched, or saved unchanged): still current.
    await cache.store('k', bundle, [input(path, 'export const a = 1;\n', mtime - 5_000)], dir, Date.now());
    expect(await cache.lookup('k')).toBe(bundle);
    // Same size and time, other content: trusted only when the time is old enough.
    const sameSize = 'export const a = 9;\n';
    await cache.store('racy', bundle, [input(path, sameSize, mtime)], dir, mtime + RACY_WINDOW_MS / 2);
    expect(await cache.lookup('racy')).toBeUndefined();
    await cache.store('old', bundle, [input(path, sameSize, mtime)], dir, mtime + RACY_WINDOW_MS * 2);
    expect(await cache.lookup('old')).toBe(bundle);
  });

  it('forgets the least recently used bundles beyond its bounds', async () => {
    const { dir, path, mtime } = setup(60_000);
    const cache = new BundleCache({ maxEntries: 2 });
    const inputs = [input(path, 'export const a = 1;\n', mtime)];
    await cache.store('a', bundle, inputs, dir, Date.now());
    await cache.store('b', bundle, inputs, dir, Date.now());
    await cache.lookup('a');
    await cache.store('c', bundle, inputs, dir, Date.now());
    expect(cache.size).toBe(2);
    expect(await cache.lookup('b')).toBeUndefined();
    expect(await cache.lookup('a')).toBe(bundle);
  });

  it('watches the folders imports were resolved in, and the node_modules a package came from', () => {
    expect(foldersOf([input('/w/node_modules/p/lib/x.js', '', 0), input('/w/u.js', '', 0)], '/w').sort()).toEqual(['/w', '/w/node_modules', '/w/node_modules/p/lib']);
  });
});
