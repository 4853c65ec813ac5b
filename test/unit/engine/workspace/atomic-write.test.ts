import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_PREFIX, writeFileAtomic } from '../../../../engine/workspace/atomic-write.ts';

const SIZE = 4 * 1024 * 1024;
const moduleUrl = pathToFileURL(join(import.meta.dirname, '../../../../engine/workspace/atomic-write.ts')).href;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Whole file of one letter, of the full size: anything else is a torn or truncated write. */
function isWhole(content: string): boolean {
  if (content.length !== SIZE) return false;
  const first = content[0];
  return (first === 'A' || first === 'B') && content === first.repeat(SIZE);
}

/** A child that rewrites the file with alternating contents until it is killed. */
function startWriter(target: string) {
  const program = `
    const { writeFileAtomic } = await import(${JSON.stringify(moduleUrl)});
    const target = ${JSON.stringify(target)};
    const a = 'A'.repeat(${SIZE}), b = 'B'.repeat(${SIZE});
    let n = 0;
    process.stdout.write('ready\\n');
    for (;;) await writeFileAtomic(target, n++ % 2 ? a : b);
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temp file', async () => {
    const target = join(dir, 'a.js');
    await writeFile(target, 'old');
    await writeFileAtomic(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.js']);
  });

  it.skipIf(process.platform === 'win32')('keeps the file mode of the file it replaces', async () => {
    const target = join(dir, 'a.js');
    await writeFile(target, 'old', { mode: 0o600 });
    await writeFileAtomic(target, 'new');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('the whole-file check recognises a torn file', () => {
    expect(isWhole('A'.repeat(SIZE))).toBe(true);
    expect(isWhole('A'.repeat(SIZE - 10) + 'B'.repeat(10))).toBe(false);
    expect(isWhole('A'.repeat(SIZE - 1))).toBe(false);
  });

  it('a writer killed mid-write leaves the old or the new content, never a torn file', async () => {
    const target = join(dir, 'script.js');
    await writeFile(target, 'A'.repeat(SIZE));
    for (let round = 0; round < 6; round++) {
      const child = startWriter(target);
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      // Vary the moment of death so some kills land inside write, fsync or rename.
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 37));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      expect(isWhole(await readFile(target, 'utf8'))).toBe(true);
    }
    // Temp files of killed writers may remain, but they are dot files that never list as scripts.
    for (const name of await readdir(dir)) expect(name === 'script.js' || name.startsWith(TEMP_PREFIX)).toBe(true);
  }, 120_000);
});
