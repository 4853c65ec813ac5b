/** A team's examples folder is read, never written: scripts only, inside the folder, small, sorted, bounded. */
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MAX_TEAM_EXAMPLES } from '../../../../engine/common/api.ts';
import { readExamplesFolder } from '../../../../engine/workspace/examples-folder.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-examples-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('reads the scripts directly in the folder, by name, and passes over everything else', async () => {
  const folder = join(dir, 'team');
  await mkdir(join(folder, 'nested.js'), { recursive: true });
  await writeFile(join(folder, 'b-second.ts'), '// Second\nreturn 2');
  await writeFile(join(folder, 'a-first.js'), '// First\nreturn 1');
  await writeFile(join(folder, 'notes.md'), '# not a script');
  await writeFile(join(folder, '.hidden.js'), 'hidden');
  await writeFile(join(folder, 'huge.js'), 'x'.repeat(2_000));
  await writeFile(join(dir, 'outside.js'), 'secret');
  await symlink(join(dir, 'outside.js'), join(folder, 'link-out.js'));
  await symlink(join(folder, 'a-first.js'), join(folder, 'link-in.js'));
  const before = await readdir(folder);
  expect(await readExamplesFolder(folder, 1_000)).toEqual([
    { name: 'a-first.js', content: '// First\nreturn 1' },
    { name: 'b-second.ts', content: '// Second\nreturn 2' },
    { name: 'link-in.js', content: '// First\nreturn 1' },
  ]);
  expect(await readdir(folder)).toEqual(before);
});

it(`shows at most ${MAX_TEAM_EXAMPLES}`, async () => {
  for (let i = 0; i < MAX_TEAM_EXAMPLES + 5; i++) await writeFile(join(dir, `ex-${String(i).padStart(3, '0')}.js`), `return ${i}`);
  const examples = await readExamplesFolder(dir);
  expect(examples).toHaveLength(MAX_TEAM_EXAMPLES);
  expect(examples[0]!.name).toBe('ex-000.js');
});
