/**
 * Temporary folders for module-script tests: script files, plus the package fixtures of
 * test/fixtures/packages installed from their tarballs with npm, offline and without scripts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_FIXTURES = fileURLToPath(new URL('../fixtures/packages/', import.meta.url));

export const FIXTURE_TARBALLS = {
  esm: 'isolab-fixture-esm-1.0.0.tgz',
  cjs: 'isolab-fixture-cjs-2.1.0.tgz',
  conditions: 'isolab-fixture-conditions-3.0.0.tgz',
  native: 'isolab-fixture-native-1.0.0.tgz',
  isomorphic: 'isolab-fixture-isomorphic-1.0.0.tgz',
} as const;

/** A new folder (real path) holding `files` (relative paths → text). */
export function makeWorkspace(files: Record<string, string> = {}, prefix = 'isolab-modules-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** npm installs the fixture packages into `dir`: no network, no install scripts. */
export function installFixtures(dir: string, names: (keyof typeof FIXTURE_TARBALLS)[]): void {
  const tarballs = names.map((name) => join(PACKAGE_FIXTURES, FIXTURE_TARBALLS[name]));
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', ...tarballs], {
    cwd: dir,
    stdio: 'pipe',
    shell: process.platform === 'win32',
  });
}

export function removeWorkspace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
