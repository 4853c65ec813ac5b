import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../../../engine/workspace/workspace.ts';
import { WorkspaceError } from '../../../../engine/workspace/errors.ts';
import { WELCOME_SCRIPT_NAME } from '../../../../engine/common/welcome.ts';

let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'isolab-ws-'));
  dir = join(root, 'scripts');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function rejectsWith(promise: Promise<unknown>, type: string): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkspaceError);
  expect((error as WorkspaceError).type).toBe(type);
}

describe('Workspace', () => {
  it('creates the folder and seeds one welcome script on first use only', async () => {
    const ws = await Workspace.open(dir, { seedWelcome: true });
    expect((await ws.list()).map((s) => s.name)).toEqual([WELCOME_SCRIPT_NAME]);
    await ws.delete(WELCOME_SCRIPT_NAME);
    await ws.write('mine.ts', 'export {}');
    const again = await Workspace.open(dir, { seedWelcome: true });
    expect((await again.list()).map((s) => s.name)).toEqual(['mine.ts']);
  });

  it('writes, reads, lists, renames and deletes scripts', async () => {
    const ws = await Workspace.open(dir);
    const info = await ws.write('a.js', 'return 1');
    expect(info).toMatchObject({ name: 'a.js', sizeBytes: 8 });
    expect(await ws.read('a.js')).toMatchObject({ name: 'a.js', content: 'return 1' });
    await ws.write('a.js', 'return 2');
    expect((await ws.read('a.js')).content).toBe('return 2');
    expect(await ws.rename('a.js', 'b.mjs')).toMatchObject({ name: 'b.mjs' });
    expect((await ws.list()).map((s) => s.name)).toEqual(['b.mjs']);
    expect(await ws.delete('b.mjs')).toBe(true);
    expect(await ws.delete('b.mjs')).toBe(false);
    expect(await ws.list()).toEqual([]);
  });

  it('lists only script files, not folders, temp files or other extensions', async () => {
    const ws = await Workspace.open(dir);
    await ws.write('z.ts', '');
    await writeFile(join(dir, 'notes.txt'), 'x');
    await writeFile(join(dir, '.hidden.js'), 'x');
    await mkdir(join(dir, 'folder.js'));
    expect((await ws.list()).map((s) => s.name)).toEqual(['z.ts']);
  });

  it('leaves no temp files behind after saves', async () => {
    const ws = await Workspace.open(dir);
    for (let i = 0; i < 5; i++) await ws.write('a.js', `// ${i}`);
    expect(await readdir(dir)).toEqual(['a.js']);
  });

  it.each(['../escape.js', 'sub/x.js', 'sub\\x.js', '.env.js', 'x.json', '/etc/passwd', 'a.js\0.js', ''])(
    'refuses the name %j',
    async (name) => {
      const ws = await Workspace.open(dir);
      await rejectsWith(ws.write(name, 'x'), 'InvalidRequestError');
      await rejectsWith(ws.read(name), 'InvalidRequestError');
      await rejectsWith(ws.delete(name), 'InvalidRequestError');
    },
  );

  it('reports a missing script as NotFoundError', async () => {
    const ws = await Workspace.open(dir);
    await rejectsWith(ws.read('nope.js'), 'NotFoundError');
    await rejectsWith(ws.rename('nope.js', 'other.js'), 'NotFoundError');
  });

  it('refuses to rename onto an existing script', async () => {
    const ws = await Workspace.open(dir);
    await ws.write('a.js', 'A');
    await ws.write('b.js', 'B');
    await rejectsWith(ws.rename('a.js', 'b.js'), 'ConflictError');
    expect((await ws.read('b.js')).content).toBe('B');
    expect((await ws.read('a.js')).content).toBe('A');
  });

  it('allows a rename that only changes case', async () => {
    const ws = await Workspace.open(dir);
    await ws.write('a.js', 'A');
    await ws.rename('a.js', 'A.js');
    expect((await ws.read('A.js')).content).toBe('A');
  });

  it.skipIf(process.platform === 'win32')('refuses symlinks that lead out of the folder', async () => {
    const ws = await Workspace.open(dir);
    const secret = join(root, 'secret.js');
    await writeFile(secret, 'SECRET');
    await symlink(secret, join(dir, 'link.js'));
    await rejectsWith(ws.read('link.js'), 'ForbiddenError');
    await rejectsWith(ws.write('link.js', 'overwritten'), 'ForbiddenError');
    expect(await readFile(secret, 'utf8')).toBe('SECRET');
    expect((await ws.list()).map((s) => s.name)).toEqual([]);
    // Deleting removes the link, never the file it points to.
    expect(await ws.delete('link.js')).toBe(true);
    expect(await readFile(secret, 'utf8')).toBe('SECRET');
  });

  it.skipIf(process.platform === 'win32')('follows symlinks that stay inside the folder', async () => {
    const ws = await Workspace.open(dir);
    await ws.write('real.js', 'one');
    await symlink(join(dir, 'real.js'), join(dir, 'alias.js'));
    expect((await ws.read('alias.js')).content).toBe('one');
    await ws.write('alias.js', 'two');
    expect((await ws.read('real.js')).content).toBe('two');
  });

  it.skipIf(process.platform === 'win32')('works when the folder itself is reached through a symlink', async () => {
    await mkdir(dir);
    const via = join(root, 'via');
    await symlink(dir, via);
    const ws = await Workspace.open(via);
    await ws.write('a.js', 'x');
    expect((await ws.list()).map((s) => s.name)).toEqual(['a.js']);
  });

  it('refuses to open a file as a workspace', async () => {
    await writeFile(join(root, 'file'), '');
    await rejectsWith(Workspace.open(join(root, 'file')), 'InvalidRequestError');
  });

  it('does not create a missing folder when asked not to', async () => {
    await rejectsWith(Workspace.open(join(root, 'missing'), { create: false }), 'NotFoundError');
  });
});

describe('Workspace temp files', () => {
  it('removes temp files left by a killed save once they are stale, and keeps fresh ones', async () => {
    const { utimes } = await import('node:fs/promises');
    const { TEMP_PREFIX } = await import('../../../../engine/workspace/atomic-write.ts');
    await mkdir(dir);
    const stale = join(dir, `${TEMP_PREFIX}a.js.1.abc`);
    const fresh = join(dir, `${TEMP_PREFIX}a.js.2.def`);
    await writeFile(stale, 'x');
    await writeFile(fresh, 'y');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(stale, old, old);
    await Workspace.open(dir);
    expect((await readdir(dir)).sort()).toEqual([`${TEMP_PREFIX}a.js.2.def`]);
  });
});
