/**
 * The script workspace: a folder of .js/.ts/.mjs files, shared by Electron main and web mode.
 * Every name is validated with the contract's ScriptName, every path is checked to stay inside
 * the folder (symlinks included), and every save is atomic.
 */
import { link, lstat, mkdir, readdir, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ScriptInfo } from '../common/api.ts';
import { ScriptName } from '../common/api.ts';
import { validationMessage } from '../common/validation.ts';
import { TEMP_PREFIX, writeFileAtomic } from './atomic-write.ts';
import { WorkspaceError, hasCode } from './errors.ts';
import { WELCOME_SCRIPT, WELCOME_SCRIPT_NAME } from '../common/welcome.ts';

export interface OpenWorkspaceOptions {
  /** Create the folder if it does not exist (default true). */
  create?: boolean;
  /** Put the welcome script in a folder that has no scripts yet (default false). */
  seedWelcome?: boolean;
  /** The welcome script to seed (a team policy's), or null for none; default Isolab's own. */
  welcome?: { name: string; content: string } | null;
}

export interface ScriptContent {
  name: ScriptName;
  content: string;
  mtimeMs: number;
}

export class Workspace {
  /** The folder, with symlinks resolved: every script path must have exactly this parent. */
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dir: string, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
    if (options.create ?? true) {
      await mkdir(dir, { recursive: true }).catch((error: unknown) => {
        if (hasCode(error, 'EEXIST', 'ENOTDIR')) throw new WorkspaceError('InvalidRequestError', `${dir} is not a folder`);
        throw error;
      });
    }
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      if (hasCode(error, 'ENOENT')) throw new WorkspaceError('NotFoundError', `workspace folder ${dir} does not exist`);
      throw error;
    }
    if (!(await stat(real)).isDirectory()) throw new WorkspaceError('InvalidRequestError', `${dir} is not a folder`);
    const workspace = new Workspace(real);
    await workspace.removeStaleTempFiles();
    const welcome = options.welcome === undefined ? { name: WELCOME_SCRIPT_NAME, content: WELCOME_SCRIPT } : options.welcome;
    if (options.seedWelcome && welcome && (await workspace.list()).length === 0) {
      await workspace.write(welcome.name, welcome.content);
    }
    return workspace;
  }

  /** Temp files of a save that was killed mid-way; old enough that no live writer owns them. */
  private async removeStaleTempFiles(maxAgeMs = 60_000): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const path = join(this.dir, name);
      const info = await lstat(path).catch(() => null);
      if (info?.isFile() && now - info.mtimeMs > maxAgeMs) await unlink(path).catch(() => undefined);
    }
  }

  async list(): Promise<ScriptInfo[]> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    const scripts: ScriptInfo[] = [];
    for (const entry of entries) {
      if (!ScriptName.safeParse(entry.name).success) continue;
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const path = await this.insidePath(entry.name).catch(() => null);
      if (!path) continue;
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) continue;
      scripts.push({ name: entry.name, sizeBytes: info.size, mtimeMs: info.mtimeMs });
    }
    return scripts.sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(name: string): Promise<ScriptContent> {
    const path = await this.existingPath(name);
    const [content, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { name, content, mtimeMs: info.mtimeMs };
  }

  async write(name: string, content: string): Promise<ScriptInfo> {
    const path = await this.targetPath(name);
    await writeFileAtomic(path, content);
    return this.info(name, path);
  }

  /** Refuses to overwrite: renaming onto an existing script is a ConflictError. */
  async rename(from: string, to: string): Promise<ScriptInfo> {
    // Checked for existence and confinement, but the entry itself moves: a symlink stays a link.
    await this.existingPath(from);
    const source = join(this.dir, from);
    const target = join(this.dir, checkName(to));
    if (from === to) return this.info(to, source);
    const caseOnly = from.toLowerCase() === to.toLowerCase();
    if (caseOnly) {
      // On case-insensitive file systems the target "exists" as the source itself.
      await rename(source, target);
    } else {
      await renameNoReplace(source, target, to);
    }
    return this.info(to, target);
  }

  async delete(name: string): Promise<boolean> {
    const path = join(this.dir, checkName(name));
    // Deleting a symlink removes the link only, so even a link pointing outside is safe to unlink.
    try {
      await unlink(path);
      return true;
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return false;
      throw error;
    }
  }

  private async info(name: string, path: string): Promise<ScriptInfo> {
    const info = await stat(path);
    return { name, sizeBytes: info.size, mtimeMs: info.mtimeMs };
  }

  /** The real path of an existing script; NotFoundError if there is none. */
  private async existingPath(name: string): Promise<string> {
    checkName(name);
    try {
      return await this.insidePath(name);
    } catch (error) {
      if (hasCode(error, 'ENOENT')) throw new WorkspaceError('NotFoundError', `no script named ${name}`);
      throw error;
    }
  }

  /** Where a write goes: the script itself, or, for a symlink inside the folder, its target. */
  private async targetPath(name: string): Promise<string> {
    checkName(name);
    const path = join(this.dir, name);
    const link = await lstat(path).catch((error: unknown) => {
      if (hasCode(error, 'ENOENT')) return null;
      throw error;
    });
    if (!link) return path;
    if (link.isDirectory()) throw new WorkspaceError('ConflictError', `${name} is a folder`);
    if (!link.isSymbolicLink()) return path;
    return this.insidePath(name);
  }

  /** Resolves symlinks and refuses anything whose real location is not directly in the folder. */
  private async insidePath(name: string): Promise<string> {
    const path = join(this.dir, name);
    const real = await realpath(path);
    if (dirname(real) !== this.dir) {
      throw new WorkspaceError('ForbiddenError', `${name} points outside the workspace folder`);
    }
    return real;
  }
}

function checkName(name: string): ScriptName {
  const parsed = ScriptName.safeParse(name);
  if (!parsed.success) {
    throw new WorkspaceError('InvalidRequestError', `invalid script name ${JSON.stringify(name)}: ${validationMessage(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * rename(2) silently replaces the target; link(2) fails with EEXIST instead, so link + unlink is a
 * race-free "rename unless it exists". File systems without hard links (some FUSE, FAT) get a
 * check-then-rename, which is good enough for a single-user folder.
 */
async function renameNoReplace(source: string, target: string, to: string): Promise<void> {
  try {
    await link(source, target);
  } catch (error) {
    if (hasCode(error, 'EEXIST')) throw new WorkspaceError('ConflictError', `a script named ${to} already exists`);
    if (!hasCode(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS')) throw error;
    const exists = await lstat(target).then(() => true, () => false);
    if (exists) throw new WorkspaceError('ConflictError', `a script named ${to} already exists`);
    await rename(source, target);
    return;
  }
  await unlink(source);
}
