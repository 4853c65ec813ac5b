import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultProfileName, inspectAddress, takeInspectFlag, writeCpuProfile } from '../../../../engine/cli/inspect.ts';

describe('takeInspectFlag', () => {
  it('takes --inspect and --inspect-brk with an optional =value, leaving the rest for parseArgs', () => {
    expect(takeInspectFlag(['a.js', '--timeout', '5'])).toEqual({ rest: ['a.js', '--timeout', '5'], inspect: undefined });
    expect(takeInspectFlag(['--inspect', 'a.js'])).toEqual({ rest: ['a.js'], inspect: { brk: false, host: '127.0.0.1', port: undefined } });
    expect(takeInspectFlag(['a.js', '--inspect-brk'])).toEqual({ rest: ['a.js'], inspect: { brk: true, host: '127.0.0.1', port: undefined } });
    expect(takeInspectFlag(['--inspect-brk=0', 'a.js']).inspect).toEqual({ brk: true, host: '127.0.0.1', port: 0 });
    expect(takeInspectFlag(['--inspect=localhost:9230', 'a.js']).inspect).toEqual({ brk: false, host: 'localhost', port: 9230 });
  });
  it('leaves arguments after -- alone and refuses a second flag', () => {
    expect(takeInspectFlag(['--', '--inspect']).inspect).toBeUndefined();
    expect(() => takeInspectFlag(['--inspect', '--inspect-brk', 'a.js'])).toThrow(/once/);
  });
});

describe('inspectAddress', () => {
  it.each([
    ['9229', { host: '127.0.0.1', port: 9229 }],
    ['0', { host: '127.0.0.1', port: 0 }],
    ['127.0.0.1:4000', { host: '127.0.0.1', port: 4000 }],
    ['localhost', { host: 'localhost', port: undefined }],
    ['[::1]:4000', { host: '[::1]', port: 4000 }],
    ['::1', { host: '::1', port: undefined }],
  ])('%s', (value, expected) => {
    expect(inspectAddress(value, '--inspect')).toEqual(expected);
  });
  it('refuses hosts other than loopback, and bad ports', () => {
    expect(() => inspectAddress('0.0.0.0:9229', '--inspect')).toThrow(/loopback only.*not '0\.0\.0\.0'/);
    expect(() => inspectAddress('example.com', '--inspect-brk')).toThrow(/--inspect-brk: the debugger listens on loopback only/);
    expect(() => inspectAddress('70000', '--inspect')).toThrow(/0–65535/);
    expect(() => inspectAddress('localhost:abc', '--inspect')).toThrow(/expected \[host:\]port/);
  });
});

describe('CPU profile files', () => {
  it("are named like Node's: CPU.<date>.<time>.<pid>.<seq>.cpuprofile in local time", () => {
    expect(defaultProfileName(new Date(2026, 0, 2, 3, 4, 5), 4321, 7)).toBe('CPU.20260102.030405.4321.007.cpuprofile');
  });
  it('are written where asked, folders made as needed', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'isolab-prof-')), 'a', 'b');
    const profile = { nodes: [], startTime: 0, endTime: 1 };
    const path = writeCpuProfile(profile, { dir, name: 'x.cpuprofile', intervalUs: undefined });
    expect(path).toBe(join(dir, 'x.cpuprofile'));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(profile);
    expect(writeCpuProfile(profile, { dir, name: undefined, intervalUs: undefined })).toMatch(/[/\\]CPU\.\d{8}\.\d{6}\.\d+\.\d{3}\.cpuprofile$/);
  });
});
