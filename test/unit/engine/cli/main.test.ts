import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, readSource, UsageError, type Io } from '../../../../engine/cli/main.ts';
import { MAX_SOURCE_BYTES } from '../../../../engine/common/contract.ts';

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
    // 16 MiB of UTF-8, the contract's one rule (MAX_SOURCE_BYTES): 8 Mi "é" fit, one byte more does not.
    expect(readSource(file('exact.js', 'é'.repeat(MAX_SOURCE_BYTES / 2)), none).code).toHaveLength(MAX_SOURCE_BYTES / 2);
    expect(() => readSource(file('over.js', `${'é'.repeat(MAX_SOURCE_BYTES / 2)}a`), none)).toThrow(/larger than the 16 MiB/);
    expect(() => readSource('-', () => new Uint8Array([0x61, 0xc0, 0xaf]))).toThrow(/^stdin is not valid UTF-8 text \(first bad byte near offset 1\); save it as UTF-8$/);
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
    [['run', 'a.js', 'b.js', '--inspect'], /--inspect debugs one script/],
    [['run', 'a.js', '--inspect-brk', '--parallel'], /--inspect-brk debugs one script/],
    [['run', 'a.js', '--inspect=0.0.0.0'], /loopback only/],
    [['run', 'a.js', '--inspect=localhost:x'], /expected \[host:\]port/],
    [['run', 'a.js', '--cpu-prof-dir', 'out'], /--cpu-prof-dir goes with --cpu-prof/],
    [['run', 'a.js', '--cpu-prof', '--cpu-prof-interval', '5'], /--cpu-prof-interval must be a whole number from 10 to 100000/],
    [['run', 'a.js', 'b.js', '--cpu-prof', '--cpu-prof-name', 'x.cpuprofile'], /names one profile/],
    [['run', 'a.js', '--cpu-prof', '--cpu-prof-name', 'sub/x.cpuprofile'], /put the folder in --cpu-prof-dir/],
  ])('%j', async (argv, message) => {
    const t = io();
    expect(await main(argv, t)).toBe(2);
    expect(t.err).toMatch(message);
  });
  it('refuses --args nested deeper than the JSON API allows, before any engine starts', async () => {
    // It used to reach zod's z.json() in the engine client and overflow the stack.
    const deep = (n: number) => `[${'['.repeat(n)}${']'.repeat(n)}]`;
    for (const argv of [['call', 'x.js', 'f', '--args', deep(100_000)], ['leak', 'x.js', '--function', 'f', '--args', deep(600)]]) {
      const t = io();
      expect(await main(argv, t)).toBe(2);
      expect(t.err).toBe('isolab: --args is JSON nested deeper than 512 levels (arrays and objects)\n');
    }
  });

  it('prints help for every command with exit 0', async () => {
    for (const argv of [['--help'], ['run', '--help'], ['call', '--help'], ['leak', '--help']]) {
      const t = io();
      expect(await main(argv, t)).toBe(0);
      expect(t.out).toMatch(/Usage: isolab/);
    }
  });
});

describe('main under a team policy (ISOLAB_POLICY)', () => {
  async function withPolicy(policy: unknown, argv: string[]) {
    const path = file(`policy-${Math.random().toString(36).slice(2)}.json`, typeof policy === 'string' ? policy : JSON.stringify(policy));
    const saved = process.env.ISOLAB_POLICY;
    process.env.ISOLAB_POLICY = path;
    try {
      const t = io();
      return { code: await main(argv, t), err: t.err, path };
    } finally {
      if (saved === undefined) delete process.env.ISOLAB_POLICY;
      else process.env.ISOLAB_POLICY = saved;
    }
  }

  it('exits 2 with the file and the problem when the policy is invalid, before starting an engine', async () => {
    const script = file('ok.js', 'return 1');
    const bad = await withPolicy({ version: 1, limits: { timeoutMs: { max: 'ten' } } }, ['run', script]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(`isolab: invalid team policy ${bad.path}: limits.timeoutMs.max: Invalid input: expected number, received string\n`);
    const broken = await withPolicy('{', ['leak', script]);
    expect(broken.code).toBe(2);
    expect(broken.err).toContain(`invalid team policy ${broken.path}: not valid JSON`);
  });

  it('exits 2 when the policy refuses the limits asked for', async () => {
    const script = file('ok2.js', 'return 1');
    const refused = await withPolicy({ version: 1, overLimit: 'refuse', limits: { memoryLimitMb: { max: 64 } } }, ['call', script, 'f', '--memory', '512']);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`isolab: Refused by the team policy (${refused.path}): a memory limit of 512 MB is over the team's maximum of 64 MB\n`);
  });
});

describe('isolab workspace export|import', () => {
  it('moves a workspace to another data folder and reports what it did', async () => {
    const { Workspace } = await import('../../../../engine/workspace/workspace.ts');
    const from = await Workspace.open(join(dir, 'ws-from'));
    await from.write('main.js', 'return 1');
    await from.write('util.js', 'export const x = 1');
    const to = await Workspace.open(join(dir, 'ws-to'));
    await to.write('util.js', 'mine');
    const archive = join(dir, 'moved.zip');
    const dataFrom = join(dir, 'data-from');
    mkdirSync(dataFrom, { recursive: true });
    writeFileSync(join(dataFrom, 'settings.json'), JSON.stringify({ timeoutMs: 4321, memoryLimitMb: 128, cpuLimitMs: null, reuseContext: false, leakIterations: 40, theme: 'dark' }));

    const exported = io();
    expect(await main(['workspace', 'export', '--workspace', from.dir, '--data-dir', dataFrom, archive], exported)).toBe(0);
    expect(exported.out).toBe(`Exported 2 scripts and the settings from ${from.dir} to ${archive} (${exported.out.match(/\((\d+ B|[\d.]+ KB)\)/)![1]}).\n`);

    const imported = io();
    const dataTo = join(dir, 'data-to');
    expect(await main(['workspace', 'import', '--workspace', to.dir, '--data-dir', dataTo, archive], imported)).toBe(0);
    expect(imported.out).toBe(
      [
        `Imported 2 scripts from ${archive} into ${to.dir}:`,
        '  main.js',
        '  util.js → util-2.js (util.js was taken)',
        'Settings applied: timeoutMs, theme',
        '',
      ].join('\n'),
    );
    expect((await to.read('util-2.js')).content).toBe('export const x = 1');
    expect((await to.read('util.js')).content).toBe('mine');
  });

  it('exits 2 with a message for a hostile archive, a missing file, or bad usage', async () => {
    const hostile = file('hostile.zip', 'PK not really');
    for (const [argv, message] of [
      [['workspace', 'import', '--workspace', join(dir, 'ws-h'), '--data-dir', join(dir, 'dh'), hostile], /hostile\.zip cannot be imported: not a readable zip archive/],
      [['workspace', 'import', '--workspace', join(dir, 'ws-h'), '--data-dir', join(dir, 'dh'), join(dir, 'none.zip')], /none\.zip: no such file/],
      [['workspace', 'export', '--workspace', join(dir, 'ws-missing'), '--data-dir', join(dir, 'dh'), join(dir, 'out.zip')], /workspace folder .* does not exist/],
      [['workspace', 'export'], /needs exactly one archive FILE/],
      [['workspace', 'sync', 'x.zip'], /unknown workspace action 'sync'/],
    ] as const) {
      const t = io();
      expect(await main([...argv], t)).toBe(2);
      expect(t.err).toMatch(message);
    }
  });
});
