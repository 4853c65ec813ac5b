#!/usr/bin/env node
// `npm run dist`: the installers of the current platform, in dist/ (AppImage + deb on Linux, dmg on
// macOS, NSIS on Windows; scripts/dist/config.mjs has the configuration for all of them).
//
//   1. electron-vite builds main, preload and renderer into out/
//   2. scripts/build-engine.mjs builds the engine runtime for the target (Node 24, host bundle,
//      guest bundle, isolated-vm)
//   3. electron-builder packs the app once (the "dir" target; the afterPack hook flips the fuses),
//      then builds each installer from that packed folder, so one failing installer (a tool it
//      could not download) does not hide the others. Each result is listed at the end.
//
// Options: --targets deb,AppImage   --arch x64|arm64   --out DIR   --policy FILE (ship a team policy)
//          --electron-dist DIR (an unpacked Electron, e.g. node_modules/electron/dist)   --no-build
// Tools electron-builder would otherwise download from GitHub: ELECTRON_BUILDER_7ZIP_PATH,
// APPIMAGE_TOOLS_PATH, CUSTOM_FPM_PATH / USE_SYSTEM_FPM; see the README ("Installers").
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildEngine } from './build-engine.mjs';
import { builderConfig } from './dist/config.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

export const DEFAULT_TARGETS = { linux: ['AppImage', 'deb'], darwin: ['dmg'], win32: ['nsis'] };
const BUILDER_PLATFORM = { linux: 'LINUX', darwin: 'MAC', win32: 'WINDOWS' };
const UNPACKED_DIR = { linux: 'linux', darwin: 'mac', win32: 'win' };

function which(command) {
  return spawnSync(process.platform === 'win32' ? 'where' : 'which', [command], { encoding: 'utf8' }).status === 0;
}

/** The Electron distribution to pack: given, or the one `npm start` installed for this machine. */
export function localElectronDist(platform = process.platform) {
  const dir = join(dirname(require.resolve('electron/package.json')), 'dist');
  const binary = { linux: 'electron', darwin: 'Electron.app', win32: 'electron.exe' }[platform];
  return binary && existsSync(join(dir, binary)) ? dir : undefined;
}

/** How electron-builder gets fpm for deb: an installed fpm, else our dpkg-deb builder, else its own download. */
export function fpmEnvironment(env = process.env) {
  if (env.CUSTOM_FPM_PATH || env.USE_SYSTEM_FPM) return {};
  if (which('fpm')) return { USE_SYSTEM_FPM: 'true' };
  if (process.platform === 'linux' && which('dpkg-deb')) {
    const shim = join(ROOT, 'scripts/dist/fpm-deb.mjs');
    chmodSync(shim, 0o755);
    return { CUSTOM_FPM_PATH: shim };
  }
  return {};
}

/** The app folder electron-builder packs into app.asar: out/ and a package.json without dependencies. */
function stageApp(appDir, builtDir) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  cpSync(builtDir, join(appDir, 'out'), { recursive: true });
  const author = process.env.ISOLAB_DIST_AUTHOR ?? 'Isolab team';
  const staged = { name: pkg.name, productName: 'Isolab', version: pkg.version, description: pkg.description, license: pkg.license, author, type: pkg.type, main: pkg.main };
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
}

/** @returns {Promise<{ target: string, ok: boolean, files: string[], error?: string }[]>} */
export async function dist(options = {}) {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const outDir = resolve(options.outDir ?? join(ROOT, 'dist'));
  const targets = options.targets ?? DEFAULT_TARGETS[platform];
  if (!targets) throw new Error(`no installers are configured for ${platform}`);
  // Everything intermediate goes under workDir (tests use a private one); the app build itself
  // goes to out/ as `npm run build` does, unless a workDir is given.
  const workDir = resolve(options.workDir ?? join(ROOT, 'build'));
  const builtDir = options.workDir ? join(workDir, 'out') : join(ROOT, 'out');
  if (options.build !== false) {
    const built = spawnSync('npx', ['electron-vite', 'build'], {
      cwd: ROOT,
      stdio: options.quiet ? 'ignore' : 'inherit',
      shell: process.platform === 'win32',
      env: { ...process.env, ISOLAB_BUILD_OUT: builtDir },
    });
    if (built.status !== 0) throw new Error('electron-vite build failed');
  }
  const engine = await buildEngine({ platform, arch, outDir: join(workDir, 'engine', `${platform}-${arch}`), log: (line) => log(`  • engine  ${line}`) });
  const appDir = join(workDir, 'app');
  stageApp(appDir, builtDir);
  const electronDist = options.electronDist ?? process.env.ISOLAB_ELECTRON_DIST ?? (platform === process.platform ? localElectronDist(platform) : undefined);
  log(`  • electron  ${electronDist ? `using ${electronDist}${options.electronStandIn ? ' (STAND-IN, not a real Electron)' : ''}` : 'not installed here: electron-builder downloads it'}`);
  Object.assign(process.env, fpmEnvironment());

  const policyFiles = options.policyFile ? await policyBundle(options.policyFile) : [];
  if (options.policyFile) log(`  • policy  shipping ${options.policyFile} (${policyFiles.length} file(s))`);
  const { build, Platform, Arch } = require('electron-builder');
  // A fresh object for every build: electron-builder normalises (mutates) the config it is given.
  const config = () => builderConfig({
    appDir,
    outDir,
    engineDir: engine.outDir,
    electronDist,
    policyFiles,
    maintainer: process.env.ISOLAB_DIST_MAINTAINER ?? 'Isolab team <isolab@example.com>',
    homepage: process.env.ISOLAB_DIST_HOMEPAGE ?? 'https://example.com/isolab',
    });
  const builderPlatform = Platform[BUILDER_PLATFORM[platform]];
  const builderArch = Arch[arch];
  rmSync(outDir, { recursive: true, force: true });
  const results = [];
  try {
    await build({ projectDir: appDir, config: config(), targets: builderPlatform.createTarget(['dir'], builderArch) });
  } catch (error) {
    return [failure('dir', error), ...targets.map((target) => ({ target, ok: false, files: [], error: 'not built: packing the app (dir) failed' }))];
  }
  const unpacked = join(outDir, `${UNPACKED_DIR[platform]}${arch === 'x64' || platform === 'darwin' ? '' : `-${arch}`}-unpacked`);
  results.push({ target: 'dir', ok: true, files: [unpacked] });
  for (const target of targets) {
    try {
      const files = await build({ projectDir: appDir, config: config(), prepackaged: unpacked, targets: builderPlatform.createTarget([target], builderArch) });
      results.push({ target, ok: true, files: files.filter((f) => !f.endsWith('.blockmap')) });
    } catch (error) {
      results.push(failure(target, error));
    }
  }
  return results;
}

/** What to do when electron-builder could not download a tool it needs for a target. */
const OFFLINE_HINTS = {
  dir: 'electron-builder downloads Electron itself when no --electron-dist is given; run `npm start` once (it installs Electron into node_modules/electron/dist) or pass --electron-dist',
  AppImage: 'electron-builder downloads its AppImage tools (mksquashfs and the AppImage runtime, appimage-12.0.1) from GitHub; set APPIMAGE_TOOLS_PATH to a folder with linux-x64/mksquashfs, linux-x64/desktop-file-validate, runtime-x64 and lib/x64',
  deb: 'electron-builder downloads fpm from GitHub; install fpm (USE_SYSTEM_FPM=true) or dpkg-deb (used automatically)',
  nsis: 'electron-builder downloads NSIS and 7-Zip from GitHub (ELECTRON_BUILDER_7ZIP_PATH points at a local 7za)',
  dmg: 'build the dmg on macOS',
};

function failure(target, error) {
  const message = firstLines(error);
  const offline = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|status code 40\d|socket hang up/.test(message);
  return { target, ok: false, files: [], error: offline && OFFLINE_HINTS[target] ? `${message} — ${OFFLINE_HINTS[target]}` : message };
}

/**
 * A policy shipped with the installer: checked now with the schema the app uses (a bad one fails
 * the build), then copied with the files it names by relative path (welcome script, examples).
 */
async function policyBundle(file) {
  const { readPolicyFile } = await import('../engine/client/policy-file.ts');
  readPolicyFile(file);
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const files = [{ from: file, to: 'policy.json' }];
  for (const [field, rel] of [['welcomeScript', raw.welcomeScript], ['examples.folder', raw.examples?.folder]]) {
    if (typeof rel !== 'string' || isAbsolute(rel) || rel.startsWith('~')) continue;
    if (normalize(rel).startsWith('..')) throw new Error(`${file}: ${field} ${rel} is outside the policy's folder; it cannot be shipped with the installer`);
    files.push({ from: join(dirname(file), rel), to: normalize(rel).replaceAll('\\', '/') });
  }
  return files;
}

function firstLines(error) {
  if (process.env.ISOLAB_DIST_DEBUG) process.stderr.write(`${error?.stack}\n`);
  return String(error?.message ?? error).split('\n').filter(Boolean).slice(0, 3).join(' | ');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string' },
      arch: { type: 'string' },
      out: { type: 'string' },
      policy: { type: 'string' },
      'electron-dist': { type: 'string' },
      build: { type: 'boolean', default: true },
    },
    allowNegative: true,
  });
  const results = await dist({
    targets: values.targets?.split(',').map((t) => t.trim()).filter(Boolean),
    arch: values.arch,
    outDir: values.out,
    policyFile: values.policy ? resolve(values.policy) : undefined,
    electronDist: values['electron-dist'] ? resolve(values['electron-dist']) : undefined,
    build: values.build,
  });
  process.stdout.write('\nInstallers:\n');
  for (const r of results) process.stdout.write(r.ok ? `  ✓ ${r.target}: ${r.files.join(', ')}\n` : `  ✗ ${r.target}: ${r.error}\n`);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}
