/**
 * The one path-confinement rule that web mode's static files and Electron's app:// protocol both
 * serve through.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mimeType, resolveInside, resolveSafeFile } from '../../../../engine/app/safe-files.ts';

let dir: string;
let root: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-safe-'));
  root = join(dir, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await mkdir(join(root, '.hidden'));
  await writeFile(join(root, 'index.html'), '<!doctype html>');
  await writeFile(join(root, 'assets', 'a.js'), 'ok()');
  await writeFile(join(root, '.hidden', 'x.js'), 'no');
  await writeFile(join(dir, 'secret.txt'), 'SECRET');
  await symlink(join(dir, 'secret.txt'), join(root, 'assets', 'escape.js'));
  await symlink(join(root, 'assets', 'a.js'), join(root, 'assets', 'alias.js'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveSafeFile', () => {
  it('finds regular files inside the folder, index.html for the root', async () => {
    expect(await resolveSafeFile(root, '/')).toEqual({ path: join(root, 'index.html'), sizeBytes: 15 });
    expect(await resolveSafeFile(root, '/assets/a.js')).toMatchObject({ path: join(root, 'assets', 'a.js') });
    expect(await resolveSafeFile(root, '/assets/alias.js')).toMatchObject({ path: join(root, 'assets', 'a.js') });
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/escape.js',
    '/.hidden/x.js',
    '/assets',
    '/missing.js',
    '/a%00.js',
    '/%E0%A4%A',
  ])('refuses %s', async (path) => {
    expect(await resolveSafeFile(root, path)).toBeNull();
  });

  it('confines paths before touching the disk', () => {
    expect(resolveInside(root, '/assets/../index.html')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '//etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/..')).toBeNull();
  });

  it('names types by extension', () => {
    expect(mimeType('a/B.JS')).toMatch(/^text\/javascript/);
    expect(mimeType('x.unknown')).toBe('application/octet-stream');
  });
});
