// Finds the Electron binary the way the `electron` package does, but without requiring that
// package: its index.js starts a download when the binary is missing, which on an offline machine
// stalls and then throws. Used by `npm start`, the Electron launch test and the packaging test.
//
// `npm install` never downloads the binary (package.json keeps electron's install script off,
// because it fails without network and would fail the whole install). `npm start` instead runs
// electron's own installer the first time it finds the binary missing: see ensureElectron().
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function electronPackageDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const NO_DISPLAY = 'no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)';

/** Linux needs a display server for a window; macOS and Windows always have one. */
export function hasDisplay(env = process.env, platform = process.platform) {
  return platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @param {NodeJS.Platform} [platform]
 * @param {string | null} [packageDir] where the electron package is (default: resolved from here)
 * @returns {{ ok: true, binary: string } | { ok: false, kind: 'missing' | 'no-display', reason: string }}
 */
export function findElectron(env = process.env, platform = process.platform, packageDir = electronPackageDir()) {
  if (!packageDir) return { ok: false, kind: 'missing', reason: 'the electron package is not installed' };
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (!relative && !env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { ok: false, kind: 'missing', reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  }
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron') : join(packageDir, 'dist', relative ?? '');
  if (!existsSync(binary)) return { ok: false, kind: 'missing', reason: `no Electron binary at ${binary}` };
  if (!hasDisplay(env, platform)) {
    return { ok: false, kind: 'no-display', reason: NO_DISPLAY };
  }
  return { ok: true, binary };
}

/** How long electron's installer may take (a real download is ~100 MB); a silent network ends here. */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs electron's own installer (node_modules/electron/install.js: download, checksum, unzip).
 * Offline it fails in a fraction of a second. Returns a one-line reason on failure.
 * @returns {{ ok: true, ms: number } | { ok: false, ms: number, reason: string }}
 */
export function runElectronInstaller(packageDir = electronPackageDir(), spawn = spawnSync) {
  const started = performance.now();
  if (!packageDir) return { ok: false, ms: 0, reason: 'the electron package is not installed' };
  const result = spawn(process.execPath, [join(packageDir, 'install.js')], { cwd: packageDir, encoding: 'utf8', timeout: INSTALL_TIMEOUT_MS });
  const ms = performance.now() - started;
  if (result.error) return { ok: false, ms, reason: result.error.code === 'ETIMEDOUT' ? `no answer within ${INSTALL_TIMEOUT_MS / 60_000} minutes` : result.error.message };
  if (result.status === 0) return { ok: true, ms };
  return { ok: false, ms, reason: oneLine(result.stderr) || `exit code ${result.status}` };
}

/** The error's own line from a stack trace ("TypeError: fetch failed" → "fetch failed"). */
function oneLine(stderr) {
  const line = String(stderr ?? '').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at ')) ?? '';
  return line.replace(/^(\w*Error|Error):\s*/, '').slice(0, 200);
}

/**
 * `npm start`'s decision: the Electron binary if it can run here, installing it first when it is
 * missing and there is a display to use it on; otherwise why not, in one line.
 */
export function ensureElectron({ env = process.env, platform = process.platform, find = findElectron, install = runElectronInstaller, log = () => {} } = {}) {
  const found = find(env, platform);
  if (found.ok || found.kind !== 'missing') return found;
  // A headless machine falls back without downloading a binary it could not use.
  if (!hasDisplay(env, platform)) return { ok: false, kind: 'no-display', reason: NO_DISPLAY };
  log('Isolab: the Electron binary is not installed yet; running its installer once (a ~100 MB download)…');
  const installed = install();
  if (!installed.ok) return { ok: false, kind: 'missing', reason: `installing Electron failed after ${(installed.ms / 1000).toFixed(1)} s: ${installed.reason}` };
  return find(env, platform);
}
