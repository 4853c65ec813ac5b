/**
 * `npm start`'s first launch: find Electron, run electron's installer once when the binary is
 * missing and a window could be shown, and otherwise give the one-line reason for the fallback.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureElectron, findElectron, runElectronInstaller, type ElectronLookup } from '../../../scripts/electron-binary.mjs';

const dirs: string[] = [];
function fakeElectronPackage(withBinary: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-electron-pkg-'));
  dirs.push(dir);
  if (withBinary) {
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'path.txt'), 'electron');
    writeFileSync(join(dir, 'dist', 'electron'), '');
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const display = { DISPLAY: ':0' };

describe('findElectron', () => {
  it('finds the installed binary where there is a display', () => {
    const dir = fakeElectronPackage(true);
    expect(findElectron(display, 'linux', dir)).toEqual({ ok: true, binary: join(dir, 'dist', 'electron') });
    expect(findElectron({}, 'darwin', dir)).toMatchObject({ ok: true });
  });

  it('says the binary was never downloaded, or there is no display', () => {
    expect(findElectron(display, 'linux', fakeElectronPackage(false))).toMatchObject({ ok: false, kind: 'missing', reason: expect.stringContaining('never downloaded') });
    expect(findElectron({}, 'linux', fakeElectronPackage(true))).toMatchObject({ ok: false, kind: 'no-display' });
    expect(findElectron(display, 'linux', null)).toMatchObject({ ok: false, kind: 'missing', reason: 'the electron package is not installed' });
  });
});

describe('ensureElectron (npm start)', () => {
  const missing: ElectronLookup = { ok: false, kind: 'missing', reason: 'never downloaded' };
  const found: ElectronLookup = { ok: true, binary: '/e/electron' };

  it('runs the installer once when the binary is missing, then launches what it installed', () => {
    const find = vi.fn().mockReturnValueOnce(missing).mockReturnValueOnce(found);
    const install = vi.fn(() => ({ ok: true as const, ms: 4_000 }));
    const log = vi.fn();
    expect(ensureElectron({ env: display, platform: 'linux', find, install, log })).toEqual(found);
    expect(install).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('running its installer once'));
  });

  it('gives the installer failure as the one-line reason (offline)', () => {
    const install = () => ({ ok: false as const, ms: 200, reason: 'fetch failed' });
    expect(ensureElectron({ env: display, platform: 'linux', find: () => missing, install })).toEqual({
      ok: false,
      kind: 'missing',
      reason: 'installing Electron failed after 0.2 s: fetch failed',
    });
  });

  it('does not download anything on a machine without a display, nor when Electron is there', () => {
    const install = vi.fn();
    expect(ensureElectron({ env: {}, platform: 'linux', find: () => missing, install })).toMatchObject({ ok: false, kind: 'no-display' });
    expect(ensureElectron({ env: display, platform: 'linux', find: () => found, install })).toEqual(found);
    expect(install).not.toHaveBeenCalled();
  });
});

describe('runElectronInstaller', () => {
  it('runs node_modules/electron/install.js and keeps the error line of a failure', () => {
    const spawn = vi.fn(() => ({ status: 1, stderr: 'TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n', error: undefined }));
    const result = runElectronInstaller('/pkg/electron', spawn as unknown as typeof spawnSync);
    expect(result).toMatchObject({ ok: false, reason: 'fetch failed' });
    expect(spawn).toHaveBeenCalledWith(process.execPath, [join('/pkg/electron', 'install.js')], expect.objectContaining({ timeout: expect.any(Number) }));
  });

  it('reports a silent network as a timeout', () => {
    const spawn = () => ({ status: null, stderr: '', error: Object.assign(new Error('spawnSync ETIMEDOUT'), { code: 'ETIMEDOUT' }) });
    expect(runElectronInstaller('/pkg/electron', spawn as unknown as typeof spawnSync)).toMatchObject({ ok: false, reason: 'no answer within 10 minutes' });
  });
});
