import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, readSource, UsageError, type Io } from '../../../../engine/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'isolab-cli-'));
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

function io(stdin = ''): Io & { out: string; err: string } {
  const state = { out: '', err: '' };
  return Object.assign(state, {
    stdout: (t: string) => void (state.out += t),
    stderr: (t: string) => void (state.err += t),
    stdin: () => new TextEncoder().encode(stdin),
    color: false,
  });
}

describe('readSource', () => {
  it('reads UTF-8 files and picks the language from the extension', () => {
    expect(readSource(file('a.ts', 'let x: number = 1'), () => new Uint8Array())).toMatchObject({ name: 'a.ts', language: 'typescript' });
    expect(readSource(file('b.js', '1'), () => new Uint8Array())).toMatchObject({ name: 'b.js', language: 'javascript', code: '1' });
  });
  it('refuses bad input with clear messages', () => {
    const none = () => new Uint8Array();
    expect(() => readSource(join(dir, 'missing.js'), none)).toThrow(/no such file/);
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    expect(() => readSource(sub, none)).toThrow(/is a directory/);
    expect(() => readSource(file('empty.js', '  \n'), none)).toThrow(/is empty/);
    expect(() => readSource(file('bad.js', new Uint8Array([0x31, 0x2b, 0xff, 0xfe])), none)).toThrow(/not valid UTF-8.*offset 2/);
    expect(() => readSource(file('big.js', Buffer.alloc(17 * 1024 * 1024, 0x20)), none)).toThrow(/larger than the 16 MiB/);
    expect(() => readSource('-', () => new Uint8Array())).toThrow(UsageError);
  });
});

describe('main (usage errors exit 2 without starting an engine)', () => {
  it.each([
    [['run'], /needs a file/],
    [['run', 'x.js', '--timeout', 'abc'], /--timeout must be a whole number/],
    [['run', 'x.js', '--memory', '2'], /--memory must be a whole number from 8/],
    [['run', 'x.js', '--bogus'], /Unknown option/],
    [['call', 'x.js'], /needs a file and a function name/],
    [['call', 'x.js', 'f', '--args', '{bad'], /--args is not valid JSON/],
    [['call', 'x.js', 'f', '--args', '{"a":1}'], /must be a JSON array/],
    [['leak', 'x.js', '--iterations', '1'], /--iterations must be a whole number from 3/],
    [['leak', 'x.js', '--args', '[]'], /--args goes with --function/],
    [['frobnicate'], /unknown command/],
  ])('%j', async (argv, message) => {
    const t = io();
    expect(await main(argv, t)).toBe(2);
    expect(t.err).toMatch(message);
  });
  it('prints help for every command with exit 0', async () => {
    for (const argv of [['--help'], ['run', '--help'], ['call', '--help'], ['leak', '--help']]) {
      const t = io();
      expect(await main(argv, t)).toBe(0);
      expect(t.out).toMatch(/Usage: isolab/);
    }
  });
});
