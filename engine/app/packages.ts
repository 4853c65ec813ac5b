/**
 * The workspace's npm packages, for the IDE's Packages view (both front ends: Electron main and
 * web mode dispatch through the Backend):
 * - what is installed: the top-level folders of the workspace's node_modules, each with the name,
 *   version and description its package.json gives (files are only read; no package code runs);
 * - Add package…: the user's own npm, run in the workspace folder as
 *   `npm install --ignore-scripts --no-audit --no-fund <spec>` (no install script ever runs),
 *   its output streamed as it comes, stopped after a time limit, and its failure said in words
 *   (offline, npm missing, timed out). Packages already installed keep working whatever happens.
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { PackageInfo, PackageInstallResult, PackageSpec } from '../common/api.ts';
import { systemClock, type Clock } from '../common/clock.ts';
import { formatDuration } from '../common/units.ts';

const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

interface Manifest {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    const info = await lstat(path);
    if (!info.isFile() || info.size > MAX_PACKAGE_JSON_BYTES) return undefined;
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

/** The package folders directly under node_modules (`name`, `@scope/name`); dot entries (.bin, .pnpm …) are npm's own. */
async function packageFolders(modules: string): Promise<string[]> {
  const names: string[] = [];
  const entries = await readdir(modules).catch(() => [] as string[]);
  for (const entry of entries.sort()) {
    if (entry.startsWith('.')) continue;
    if (!entry.startsWith('@')) names.push(entry);
    else for (const inner of (await readdir(join(modules, entry)).catch(() => [] as string[])).sort()) if (!inner.startsWith('.')) names.push(`${entry}/${inner}`);
  }
  return names;
}

/** What the workspace's node_modules holds, direct dependencies first. */
export async function listPackages(workspaceDir: string): Promise<PackageInfo[]> {
  const root = await realpath(workspaceDir);
  const own = await readManifest(join(root, 'package.json'));
  const direct = new Set(Object.keys({ ...asRecord(own?.dependencies), ...asRecord(own?.devDependencies) }));
  const out: PackageInfo[] = [];
  for (const name of await packageFolders(join(root, 'node_modules'))) {
    const folder = join(root, 'node_modules', name);
    const real = await realpath(folder).catch(() => undefined);
    const base = { name, direct: direct.has(name) };
    if (!real || !inside(root, real)) {
      out.push({ ...base, version: '', unusable: 'it links to a folder outside the workspace, which scripts cannot import from' });
      continue;
    }
    const manifest = await readManifest(join(real, 'package.json'));
    if (!manifest) {
      out.push({ ...base, version: '', unusable: 'it has no readable package.json' });
      continue;
    }
    out.push({
      ...base,
      version: typeof manifest.version === 'string' ? manifest.version : '',
      ...(typeof manifest.description === 'string' && manifest.description ? { description: manifest.description.slice(0, 300) } : {}),
    });
  }
  return out.sort((a, b) => Number(b.direct) - Number(a.direct) || a.name.localeCompare(b.name));
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export type InstallOutput = (stream: 'stdout' | 'stderr', text: string) => void;

export interface PackageInstallerOptions {
  /** The npm command and leading arguments (tests use a stand-in); default the `npm` on PATH. */
  npm?: string[];
  /** Environment for npm (default: this process's). */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** How long npm may take, in ms (default 5 minutes). */
  timeoutMs?: number;
  spawn?: typeof nodeSpawn;
}

export const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** npm's error codes for a registry it cannot reach. */
const OFFLINE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENOTCACHED)\b/;

/** Runs npm installs in workspace folders, one at a time. */
export class PackageInstaller {
  readonly #options: PackageInstallerOptions;
  #busy = false;

  constructor(options: PackageInstallerOptions = {}) {
    this.#options = options;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Installs `spec` into `dir`; `onOutput` gets npm's output as it comes. Never rejects: failures are in the result. */
  async install(dir: string, spec: PackageSpec, onOutput: InstallOutput): Promise<Omit<PackageInstallResult, 'packages'>> {
    if (this.#busy) return { ok: false, exitCode: null, message: 'Another package is being installed; wait for it to finish.' };
    this.#busy = true;
    try {
      return await this.#run(dir, spec, onOutput);
    } finally {
      this.#busy = false;
    }
  }

  #run(dir: string, spec: PackageSpec, onOutput: InstallOutput): Promise<Omit<PackageInstallResult, 'packages'>> {
    const clock = this.#options.clock ?? systemClock;
    const timeoutMs = this.#options.timeoutMs ?? INSTALL_TIMEOUT_MS;
    const [command, ...lead] = this.#options.npm ?? [process.platform === 'win32' ? 'npm.cmd' : 'npm'];
    const args = [...lead, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http', spec];
    const startedAt = clock.now();
    let output = '';
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        // npm.cmd needs a shell on Windows; the spec is a checked registry name (PackageSpec), nothing a shell reads.
        child = (this.#options.spawn ?? nodeSpawn)(command!, args, { cwd: dir, env: { ...(this.#options.env ?? process.env), npm_config_color: 'false', npm_config_update_notifier: 'false' }, shell: process.platform === 'win32', windowsHide: true });
      } catch (error) {
        resolve(npmMissing(spec, dir, error));
        return;
      }
      let timedOut = false;
      const timer = clock.setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        clock.setTimeout(() => child.kill('SIGKILL'), 2_000);
      }, timeoutMs);
      const forward = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output = (output + text).slice(-64 * 1024);
        onOutput(stream, text);
      };
      child.stdout?.on('data', forward('stdout'));
      child.stderr?.on('data', forward('stderr'));
      child.once('error', (error) => {
        clock.clearTimeout(timer);
        resolve(npmMissing(spec, dir, error));
      });
      child.once('close', (code) => {
        clock.clearTimeout(timer);
        const took = formatDuration(clock.now() - startedAt);
        if (timedOut) resolve({ ok: false, exitCode: null, message: `npm did not finish within ${formatDuration(timeoutMs)} and was stopped. Packages already installed keep working.` });
        else if (code === 0) resolve({ ok: true, exitCode: 0, message: `Installed ${spec} in ${took}.` });
        else resolve({ ok: false, exitCode: code, message: failure(spec, code, output) });
      });
    });
  }
}

function npmMissing(spec: string, dir: string, error: unknown): Omit<PackageInstallResult, 'packages'> {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why = code === 'ENOENT' ? 'npm was not found on this machine (install Node.js, which includes npm, or put npm on PATH)' : `npm could not be started (${(error as Error)?.message ?? String(error)})`;
  return { ok: false, exitCode: null, message: `${why}. You can also install from a terminal: cd ${dir} && npm install --ignore-scripts ${spec}` };
}

function failure(spec: string, code: number | null, output: string): string {
  const offline = OFFLINE.exec(output);
  if (offline) return `npm could not reach the package registry (${offline[1]}): this machine looks offline, or the registry is unreachable. Packages already installed keep working; try again when you are online.`;
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => /^npm (error|ERR!)/.test(l));
  const detail = lines.find((l) => !/code|A complete log/.test(l)) ?? lines[0];
  return `npm install ${spec} failed (exit code ${code ?? 'none'})${detail ? `: ${detail.replace(/^npm (error|ERR!)\s*/, '')}` : '.'}`;
}
