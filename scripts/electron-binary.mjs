// Finds the Electron binary the way the `electron` package does, but without requiring that
// package: its index.js starts a download when the binary is missing, which on an offline machine
// stalls and then throws. Used by `npm start` and by the Electron launch test.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 * @returns {{ ok: true, binary: string } | { ok: false, kind: 'missing' | 'no-display', reason: string }}
 */
export function findElectron(env = process.env, platform = process.platform) {
  let packageDir;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, kind: 'missing', reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (!relative && !env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { ok: false, kind: 'missing', reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  }
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron')
    : join(packageDir, 'dist', relative ?? '');
  if (!existsSync(binary)) return { ok: false, kind: 'missing', reason: `no Electron binary at ${binary}` };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, kind: 'no-display', reason: 'no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { ok: true, binary };
}
