/**
 * Where the team policy file is looked for on each platform, and how a file that is there but
 * wrong fails: loudly, with its path and the problem, never quietly as "no policy".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTeamPolicy, policyCandidates, policyWelcomeScript, PolicyFileError, readPolicyFile, systemPolicyPath } from '../../../../engine/client/policy-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'isolab-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('policy locations', () => {
  it('has one system location per platform', () => {
    expect(systemPolicyPath('linux', {})).toBe('/etc/isolab/policy.json');
    expect(systemPolicyPath('darwin', {})).toBe('/Library/Application Support/Isolab/policy.json');
    expect(systemPolicyPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Isolab\\policy.json');
    expect(systemPolicyPath('win32', {})).toBe('C:\\ProgramData\\Isolab\\policy.json');
  });

  it('looks at the system location, then next to the installed app', () => {
    expect(policyCandidates({ platform: 'linux', env: {}, resourcesPath: '/opt/Isolab/resources' })).toEqual([
      { path: '/etc/isolab/policy.json', required: false },
      { path: '/opt/Isolab/resources/policy/policy.json', required: false },
    ]);
    expect(policyCandidates({ platform: 'win32', env: {}, resourcesPath: 'C:\\Program Files\\Isolab\\resources' })[1]).toEqual({
      path: 'C:\\Program Files\\Isolab\\resources\\policy\\policy.json',
      required: false,
    });
  });

  it('uses only $ISOLAB_POLICY when it is set, and requires it to exist', () => {
    const missing = join(dir, 'nope.json');
    expect(policyCandidates({ env: { ISOLAB_POLICY: missing }, resourcesPath: '/r' })).toEqual([{ path: missing, required: true }]);
    expect(() => loadTeamPolicy({ env: { ISOLAB_POLICY: missing } })).toThrow(`cannot read team policy ${missing}: no such file`);
  });

  it('is no policy when no file exists', () => {
    expect(loadTeamPolicy({ platform: 'linux', env: {}, resourcesPath: join(dir, 'no-resources') })).toBeNull();
  });

  it('reads the file shipped with the installer', () => {
    file('resources/policy/policy.json', { version: 1, limits: { timeoutMs: { max: 1000 } } });
    const active = loadTeamPolicy({ platform: 'linux', env: {}, resourcesPath: join(dir, 'resources') });
    expect(active).toMatchObject({ file: join(dir, 'resources', 'policy', 'policy.json'), policy: { limits: { timeoutMs: { max: 1000 } } } });
  });
});

describe('reading a policy file', () => {
  it('fails with the path and the problem for an invalid file', () => {
    const bad = file('bad.json', { version: 1, limits: { timeoutMs: { max: -5 } } });
    expect(() => readPolicyFile(bad)).toThrow(PolicyFileError);
    expect(() => readPolicyFile(bad)).toThrow(new RegExp(`^invalid team policy ${bad}: limits.timeoutMs.max: Too small`));
    expect(() => readPolicyFile(file('empty.json', ''))).toThrow(/not valid JSON/);
  });

  it('resolves paths relative to the policy file and ~ to the home folder', () => {
    file('team/welcome.ts', 'console.log("welcome to the team")');
    mkdirSync(join(dir, 'team', 'examples'), { recursive: true });
    const path = file('team/policy.json', { version: 1, welcomeScript: 'welcome.ts', examples: { folder: 'examples' }, workspaceDir: '~/team-scripts' });
    const active = readPolicyFile(path);
    expect(active.policy).toMatchObject({ welcomeScript: join(dir, 'team', 'welcome.ts'), examples: { folder: join(dir, 'team', 'examples') }, workspaceDir: join(homedir(), 'team-scripts') });
    expect(policyWelcomeScript(active)).toEqual({ name: 'welcome.ts', content: 'console.log("welcome to the team")' });
  });

  it('refuses a welcome script or examples folder that is not there', () => {
    const noWelcome = file('p1.json', { version: 1, welcomeScript: 'missing.js' });
    expect(() => readPolicyFile(noWelcome)).toThrow(`invalid team policy ${noWelcome}: welcomeScript: ${join(dir, 'missing.js')} does not exist`);
    const noExamples = file('p2.json', { version: 1, examples: { folder: 'nowhere' } });
    expect(() => readPolicyFile(noExamples)).toThrow(/examples.folder: .*nowhere is not a folder/);
  });

  it('says no welcome script for null, and Isolab\'s own when the policy does not say', () => {
    expect(policyWelcomeScript(readPolicyFile(file('p3.json', { version: 1, welcomeScript: null })))).toBeNull();
    expect(policyWelcomeScript(readPolicyFile(file('p4.json', { version: 1 })))).toBeUndefined();
    expect(policyWelcomeScript(null)).toBeUndefined();
  });
});
