import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { listPackages, PackageInstaller } from '../../../../engine/app/packages.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { makeWorkspace, removeWorkspace } from '../../../support/module-workspace.ts';

const FAKE_NPM = fileURLToPath(new URL('../../../support/fake-npm.mjs', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeWorkspace));

function workspace(files: Record<string, string> = {}): string {
  const dir = makeWorkspace(files);
  dirs.push(dir);
  return dir;
}

function collect() {
  const out: string[] = [];
  return { out, onOutput: (_stream: 'stdout' | 'stderr', text: string) => void out.push(text) };
}

describe('listPackages', () => {
  it("lists node_modules' packages with their versions, the workspace's own dependencies first", async () => {
    const outside = workspace({ 'linked/package.json': '{"name":"linked","version":"9.9.9"}' });
    const dir = workspace({
      'package.json': JSON.stringify({ dependencies: { zeta: '^1' }, devDependencies: { '@scope/tool': '^2' } }),
      'node_modules/alpha/package.json': '{"name":"alpha","version":"1.0.0","description":"first"}',
      'node_modules/zeta/package.json': '{"name":"zeta","version":"1.1.0"}',
      'node_modules/@scope/tool/package.json': '{"name":"@scope/tool","version":"2.0.0"}',
      'node_modules/.bin/alpha': '',
      'node_modules/.package-lock.json': '{}',
      'node_modules/broken/index.js': '',
    });
    symlinkSync(join(outside, 'linked'), join(dir, 'node_modules', 'linked'));
    expect(await listPackages(dir)).toEqual([
      { name: '@scope/tool', version: '2.0.0', direct: true },
      { name: 'zeta', version: '1.1.0', direct: true },
      { name: 'alpha', version: '1.0.0', description: 'first', direct: false },
      { name: 'broken', version: '', direct: false, unusable: 'it has no readable package.json' },
      { name: 'linked', version: '', direct: false, unusable: 'it links to a folder outside the workspace, which scripts cannot import from' },
    ]);
  });

  it('is empty without node_modules', async () => {
    expect(await listPackages(workspace())).toEqual([]);
  });
});

describe('PackageInstaller', () => {
  const installer = (env: Record<string, string> = {}, extra = {}) => new PackageInstaller({ npm: [process.execPath, FAKE_NPM], env: { ...process.env, ...env }, ...extra });

  it('runs npm install with --ignore-scripts in the workspace folder, streaming its output', async () => {
    const dir = workspace();
    const { out, onOutput } = collect();
    const result = await installer().install(dir, 'left-pad', onOutput);
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(out.join('')).toContain('fake npm install --ignore-scripts --no-audit --no-fund --loglevel=http left-pad');
    expect((await listPackages(dir)).map((p) => p.name)).toEqual(['left-pad']);
  });

  it('says when the registry cannot be reached, and that installed packages keep working', async () => {
    const result = await installer({ FAKE_NPM: 'offline' }).install(workspace(), 'left-pad', () => {});
    expect(result).toEqual({ ok: false, exitCode: 1, message: expect.stringMatching(/^npm could not reach the package registry \(ENOTFOUND\).*Packages already installed keep working/) });
  });

  it("passes on npm's own error otherwise", async () => {
    const result = await installer({ FAKE_NPM: 'fail' }).install(workspace(), 'nope', () => {});
    expect(result.message).toBe('npm install nope failed (exit code 1): 404 Not Found - GET https://registry.npmjs.org/nope - Not found');
  });

  it('says when npm is missing, and how to install from a terminal', async () => {
    const dir = workspace();
    const result = await new PackageInstaller({ npm: [join(dir, 'no-such-npm')] }).install(dir, 'left-pad', () => {});
    expect(result).toMatchObject({ ok: false, exitCode: null });
    expect(result.message).toMatch(/^npm was not found on this machine .*npm install --ignore-scripts left-pad/);
  });

  it('stops npm after its time limit, and runs one install at a time', async () => {
    const clock = new FakeClock();
    const slow = installer({ FAKE_NPM: 'hang' }, { clock, timeoutMs: 60_000 });
    const dir = workspace();
    const { out, onOutput } = collect();
    const pending = slow.install(dir, 'left-pad', onOutput);
    expect(await slow.install(dir, 'other', () => {})).toMatchObject({ ok: false, message: expect.stringMatching(/Another package is being installed/) });
    while (out.length === 0) await new Promise((r) => setTimeout(r, 10));
    clock.advance(60_000);
    expect(await pending).toMatchObject({ ok: false, exitCode: null, message: expect.stringMatching(/^npm did not finish within 60\.0 s and was stopped/) });
    expect(slow.busy).toBe(false);
  });

  it("with the real npm, an unreachable registry gives the offline message", async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'package.json'), '{}');
    const real = new PackageInstaller({ env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_cache: join(dir, '.npm-cache'), npm_config_offline: 'false', npm_config_prefer_offline: 'false' } });
    const result = await real.install(dir, 'left-pad-isolab-test', () => {});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^npm could not reach the package registry \(ECONNREFUSED\)/);
  }, 60_000);
});

