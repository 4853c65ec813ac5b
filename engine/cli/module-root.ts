/**
 * Where `isolab run|call|leak FILE` resolves a module script's imports from. The CLI decides it,
 * as the IDE's backend does for its workspace; the engine host only applies it:
 * - imports resolve from the file's own folder (stdin: the current folder), `node_modules`
 *   looked up from there upward, as Node does;
 * - the confinement root, outside which nothing is read, is the project the file belongs to: the
 *   nearest folder from the file's own upward that has a package.json or a node_modules folder,
 *   or the file's own folder when none has. The home folder and the file-system root never count
 *   as a project (a stray ~/node_modules would open the whole home folder); `--root DIR` sets the
 *   root explicitly (a monorepo whose packages are hoisted above the file's package).
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, parse, relative, resolve } from 'node:path';
import type { ModuleScope } from '../common/contract.ts';

export class ModuleRootError extends Error {}

function isProject(folder: string): boolean {
  return existsSync(resolve(folder, 'package.json')) || existsSync(resolve(folder, 'node_modules'));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The module scope of a script in `dir` (`root`: the --root option, if given). */
export function moduleScopeFor(dir: string, root?: string, home = homedir()): ModuleScope {
  const start = real(dir);
  if (root !== undefined) {
    const chosen = real(root);
    const rel = relative(chosen, start);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new ModuleRootError(`--root ${root} does not contain ${dir}`);
    return { dir: start, root: chosen };
  }
  const stopAt = new Set([real(home), parse(start).root]);
  for (let folder = start; !stopAt.has(folder); folder = dirname(folder)) {
    if (isProject(folder)) return { dir: start, root: folder };
    if (dirname(folder) === folder) break;
  }
  return { dir: start, root: start };
}
