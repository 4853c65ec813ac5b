/**
 * The team policy's pure rules: schema (invalid files fail with the file and the problem),
 * defaults, clamping and refusing at the maximums, locked settings, and web mode.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../engine/common/api.ts';
import {
  checkSettingsChange,
  effectiveSettings,
  gateLimits,
  lockedSettings,
  parseTeamPolicy,
  policyDefaultSettings,
  policyView,
  webModeRefusal,
  type ActivePolicy,
} from '../../../../engine/common/policy.ts';

const FILE = '/etc/isolab/policy.json';
function active(raw: unknown): ActivePolicy {
  return { file: FILE, policy: parseTeamPolicy(FILE, JSON.stringify(raw)) };
}

const team = active({
  version: 1,
  contact: 'ask #dev-tools',
  limits: { timeoutMs: { default: 5_000, max: 30_000 }, memoryLimitMb: { max: 256 }, cpuLimitMs: { max: 20_000 } },
  settings: { reuseContext: false, theme: 'dark' },
  locked: ['reuseContext', 'memoryLimitMb'],
});

describe('parseTeamPolicy', () => {
  it('fills in the defaults of an empty policy', () => {
    const { policy } = active({ version: 1 });
    expect(policy).toEqual({
      version: 1,
      limits: {},
      overLimit: 'clamp',
      settings: {},
      locked: [],
      webMode: { allowed: true, interfaces: ['loopback'] },
      examples: { builtIn: true },
    });
  });

  it.each([
    ['not JSON', '{version: 1', /invalid team policy \/etc\/isolab\/policy.json: not valid JSON/],
    ['a wrong version', { version: 2 }, /version: Invalid input: expected 1/],
    ['an unknown field', { version: 1, limit: {} }, /Unrecognized key: "limit"/],
    ['a default over the max', { version: 1, limits: { timeoutMs: { default: 9_000, max: 5_000 } } }, /limits.timeoutMs: default is larger than max/],
    ['a max over the engine maximum', { version: 1, limits: { memoryLimitMb: { max: 100_000 } } }, /limits.memoryLimitMb.max: Too big/],
    ['a setting over its max', { version: 1, limits: { timeoutMs: { max: 1_000 } }, settings: { timeoutMs: 2_000 } }, /settings.timeoutMs: 2000 is larger than limits.timeoutMs.max \(1000\)/],
    ['an unknown locked setting', { version: 1, locked: ['fontSize'] }, /locked.0: Invalid option/],
    ['no web interfaces', { version: 1, webMode: { interfaces: [] } }, /webMode.interfaces: Too small/],
  ])('refuses %s, naming the file and the field', (_what, raw, message) => {
    expect(() => parseTeamPolicy(FILE, typeof raw === 'string' ? raw : JSON.stringify(raw))).toThrow(message);
    expect(() => parseTeamPolicy(FILE, typeof raw === 'string' ? raw : JSON.stringify(raw))).toThrow(FILE);
  });
});

describe('gateLimits (the engine boundary)', () => {
  it('passes requests through when there is no policy', () => {
    expect(gateLimits({ timeoutMs: 999_999 }, null)).toEqual({ ok: true, request: { timeoutMs: 999_999 }, notes: [] });
  });

  it('fills the policy defaults and holds locked limits', () => {
    const gate = gateLimits({}, team);
    expect(gate).toEqual({ ok: true, request: { timeoutMs: 5_000, memoryLimitMb: 128, cpuLimitMs: 20_000 }, notes: [] });
  });

  it('lowers a limit over the maximum to the maximum, saying it is the team policy', () => {
    const gate = gateLimits({ timeoutMs: 60_000, cpuLimitMs: 100 }, team);
    expect(gate).toMatchObject({ ok: true, request: { timeoutMs: 30_000, cpuLimitMs: 100 } });
    expect(gate.ok && gate.notes).toEqual([`time limit lowered from 60000 to 30000 ms, the maximum set by the team policy (${FILE}); ask #dev-tools`]);
  });

  it('keeps a locked limit whatever the request asks, with a note', () => {
    const gate = gateLimits({ memoryLimitMb: 1024 }, team);
    expect(gate).toMatchObject({ ok: true, request: { memoryLimitMb: 128 } });
    expect(gate.ok && gate.notes[0]).toMatch(/^memory limit held at 128 MB by the team policy .* \(asked: 1024 MB\)$/);
  });

  it('refuses instead when the policy says so', () => {
    const strict = active({ version: 1, overLimit: 'refuse', limits: { timeoutMs: { max: 1_000 } } });
    expect(gateLimits({ timeoutMs: 1_000 }, strict)).toMatchObject({ ok: true });
    expect(gateLimits({ timeoutMs: 1_001 }, strict)).toEqual({
      ok: false,
      message: `Refused by the team policy (${FILE}): a time limit of 1001 ms is over the team's maximum of 1000 ms`,
    });
  });

  it('leaves values that are not numbers for the request schema to refuse', () => {
    expect(gateLimits({ timeoutMs: 'soon' as unknown as number }, team)).toMatchObject({ ok: true, request: { timeoutMs: 'soon' } });
  });

  it('keeps the rest of the request', () => {
    const gate = gateLimits({ code: 'return 1', reuseContext: true, timeoutMs: 10 }, team);
    expect(gate).toMatchObject({ ok: true, request: { code: 'return 1', reuseContext: true, timeoutMs: 10 } });
  });
});

describe('settings under a policy (merging and locks)', () => {
  it('starts from the policy settings and default limits', () => {
    expect(policyDefaultSettings(team)).toEqual({ ...DEFAULT_SETTINGS, timeoutMs: 5_000, reuseContext: false, theme: 'dark' });
    expect(policyDefaultSettings(null)).toEqual(DEFAULT_SETTINGS);
  });

  it('holds locked settings and brings limits under the maximums, keeping the user\'s other choices', () => {
    const user = { ...DEFAULT_SETTINGS, reuseContext: true, memoryLimitMb: 2048, timeoutMs: 120_000, cpuLimitMs: null, theme: 'light' as const };
    expect(effectiveSettings(user, team)).toEqual({ ...user, reuseContext: false, memoryLimitMb: 128, timeoutMs: 30_000, cpuLimitMs: 20_000 });
    expect(effectiveSettings(user, null)).toBe(user);
  });

  it('refuses changing a locked setting or going over a maximum, with the reason', () => {
    const current = effectiveSettings(DEFAULT_SETTINGS, team);
    expect(checkSettingsChange({ theme: 'light' }, current, team)).toBeNull();
    expect(checkSettingsChange({ reuseContext: false }, current, team)).toBeNull();
    expect(checkSettingsChange({ reuseContext: true }, current, team)).toBe(`reuseContext is locked by the team policy (${FILE}); ask #dev-tools`);
    expect(checkSettingsChange({ timeoutMs: 31_000 }, current, team)).toMatch(/^timeoutMs 31000 is over the maximum of 30000 set by the team policy/);
    expect(checkSettingsChange({ cpuLimitMs: null }, current, team)).toMatch(/^cpuLimitMs cannot be unlimited/);
  });

  it('lists locked settings with the reason to show', () => {
    expect(lockedSettings(team)).toEqual({
      reuseContext: `Locked by the team policy (${FILE}); ask #dev-tools`,
      memoryLimitMb: `Locked by the team policy (${FILE}); ask #dev-tools`,
    });
    expect(lockedSettings(null)).toEqual({});
  });
});

describe('webModeRefusal', () => {
  it('allows loopback by default and refuses other interfaces', () => {
    const policy = active({ version: 1 });
    expect(webModeRefusal('127.0.0.1', policy)).toBeNull();
    expect(webModeRefusal('::1', policy)).toBeNull();
    expect(webModeRefusal('0.0.0.0', policy)).toBe(`the team policy (${FILE}) allows web mode only on loopback, not on 0.0.0.0`);
    expect(webModeRefusal('0.0.0.0', null)).toBeNull();
  });

  it('allows the listed interfaces, or nothing when web mode is off', () => {
    expect(webModeRefusal('10.0.0.5', active({ version: 1, webMode: { interfaces: ['10.0.0.5'] } }))).toBeNull();
    expect(webModeRefusal('127.0.0.1', active({ version: 1, webMode: { allowed: false } }))).toBe(`web mode is turned off by the team policy (${FILE})`);
  });
});

describe('policyView (what the IDE shows)', () => {
  it('gives the locks with their reasons, the maximums, and the examples and welcome script it is handed', () => {
    const welcome = { name: 'start.js', content: 'return 1' };
    const team = [{ name: 'team.js', content: '// Team\nreturn 2' }];
    expect(policyView(active({ version: 1, contact: 'ask #dev-tools', limits: { timeoutMs: { default: 1_000, max: 30_000 }, memoryLimitMb: { default: 64 } }, locked: ['theme'], examples: { builtIn: false } }), { team, welcome })).toEqual({
      file: FILE,
      contact: 'ask #dev-tools',
      locked: { theme: `Locked by the team policy (${FILE}); ask #dev-tools` },
      maximums: { timeoutMs: 30_000 },
      examples: { builtIn: false, team },
      welcome,
    });
  });

  it('says nothing is locked or bounded without a policy, and leaves the welcome script to Isolab', () => {
    expect(policyView(null)).toEqual({ file: null, contact: null, locked: {}, maximums: {}, examples: { builtIn: true, team: [] } });
    expect(policyView(team, { team: [], welcome: null }).welcome).toBeNull();
    expect('welcome' in policyView(team)).toBe(false);
  });
});
