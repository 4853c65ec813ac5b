/**
 * Starts a real `isolab serve --no-open --port 0` as a child process, with its own data folder
 * (settings and workspace), and reads the one "Isolab running at URL" line it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Served {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** The command line: the `isolab` bin once it exists, else web mode's direct entry. */
function serveCommand(): string[] {
  const bin = join(ROOT, 'bin', 'isolab.mjs');
  if (existsSync(bin) && existsSync(join(ROOT, 'engine', 'cli', 'main.ts'))) return [bin, 'serve'];
  return ['--no-node-snapshot', join(ROOT, 'engine', 'web', 'serve-main.ts')];
}

export async function startServe(options: { rendererDir?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'isolab-e2e-'));
  const args = [...serveCommand(), '--no-open', '--port', '0', '--data-dir', dataDir];
  if (options.rendererDir) args.push('--renderer-dir', options.rendererDir);
  // process.execPath is the project's pinned Node 24 when the tests run through npx/npm.
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env, ISOLAB_DATA_DIR: dataDir } });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`isolab serve printed no URL within ${options.timeoutMs ?? 120_000} ms\n${err}`)), options.timeoutMs ?? 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Isolab running at (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`isolab serve exited with ${code} before printing its URL\n${err}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
