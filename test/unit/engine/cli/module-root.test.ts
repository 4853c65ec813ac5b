import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModuleRootError, moduleScopeFor } from '../../../../engine/cli/module-root.ts';
import { makeWorkspace, removeWorkspace } from '../../../support/module-workspace.ts';

const home = makeWorkspace({}, 'isolab-home-');
afterAll(() => removeWorkspace(home));

function folder(...parts: string[]): string {
  const path = join(home, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
}

describe('moduleScopeFor', () => {
  it('takes the nearest folder with a package.json or node_modules as the root', () => {
    const project = folder('project');
    writeFileSync(join(project, 'package.json'), '{}');
    const src = folder('project', 'src', 'deep');
    expect(moduleScopeFor(src, undefined, home)).toEqual({ dir: src, root: project });
    const other = folder('other', 'node_modules');
    expect(moduleScopeFor(join(other, '..'), undefined, home)).toEqual({ dir: join(home, 'other'), root: join(home, 'other') });
  });

  it("keeps to the file's own folder when no project holds it, and never takes the home folder", () => {
    writeFileSync(join(home, 'package.json'), '{}');
    const loose = folder('loose');
    expect(moduleScopeFor(loose, undefined, home)).toEqual({ dir: loose, root: loose });
  });

  it('takes --root when it contains the folder, and refuses one that does not', () => {
    const inner = folder('mono', 'packages', 'a');
    expect(moduleScopeFor(inner, join(home, 'mono'), home)).toEqual({ dir: inner, root: join(home, 'mono') });
    expect(() => moduleScopeFor(inner, folder('elsewhere'), home)).toThrow(ModuleRootError);
  });
});
