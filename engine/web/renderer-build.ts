/**
 * Web mode serves the renderer that `electron-vite build` writes to out/renderer. A fresh checkout
 * has no build yet, so `isolab serve` builds it on demand, with the build's progress on stderr
 * (stdout carries only the one "Isolab running at" line that scripts read).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer');

export function rendererIsBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

export interface BuildOptions {
  /** Where progress goes; the child's stdout and stderr are both sent here. */
  log: (line: string) => void;
  cwd?: string;
  /** The command that builds; default `npx electron-vite build`. */
  command?: { file: string; args: string[] };
}

export async function ensureRendererBuilt(dir: string, options: BuildOptions): Promise<void> {
  if (rendererIsBuilt(dir)) return;
  options.log(`Isolab: no renderer build in ${dir}; building it now (npx electron-vite build)…`);
  const command = options.command ?? { file: 'npx', args: ['electron-vite', 'build'] };
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command.file, command.args, {
      cwd: options.cwd ?? PROJECT_ROOT,
      // npx is a .cmd script on Windows, which only a shell can start.
      shell: process.platform === 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split(/\r?\n/)) if (line.trim()) options.log(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`the renderer build failed (${signal ?? `exit code ${code}`}); run \`npm run build\` to see why`));
    });
  });
  if (!rendererIsBuilt(dir)) throw new Error(`the build finished but ${join(dir, 'index.html')} is still missing`);
  options.log('Isolab: renderer built.');
}
