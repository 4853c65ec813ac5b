/**
 * Inline values and coverage through a real engine host (EngineClient → host process → isolate),
 * and the CLI's `isolab run --values`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../engine/cli/main.ts';
import { EngineClient } from '../../engine/client/engine-client.ts';

let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 1 }, graceMs: 1_500 });
});
afterAll(() => engine?.close());

describe('recorded runs through the engine host', () => {
  it('returns values and coverage, and nothing extra when not asked', async () => {
    const code = 'const a = 6 * 7\na\nfor (let i = 0; i < 3; i++) {\n  i //?\n}\nif (a < 0) {\n  a\n}';
    const r = await engine.run({ code, record: { values: true, coverage: true } });
    expect(r.ok).toBe(true);
    expect(r.values).toEqual([
      { line: 2, column: 1, kind: 'expression', preview: '42', count: 1, value: 42 },
      { line: 4, column: 3, kind: 'probe', preview: '2', count: 3, value: 2 },
    ]);
    expect(r.coverage).toEqual({ lines: [1, 2, 3, 4, 6, 7], linesRun: [1, 2, 3, 4, 6] });
    const plain = await engine.run({ code });
    expect(plain.values).toBeUndefined();
    expect(plain.coverage).toBeUndefined();
  });

  it('shows a runaway loop stopped by its limit at its line', async () => {
    const r = await engine.run({ code: 'const a = 1\nfor (;;) {}', timeoutMs: 200, record: { values: true, coverage: true } });
    expect(r.error?.type).toBe('TimeoutError');
    expect(r.values).toEqual([expect.objectContaining({ line: 2, kind: 'error', preview: 'TimeoutError: Run exceeded its 200 ms time limit' })]);
    // The hits live in memory shared with the isolate: a stopped run still shows how far it got.
    expect(r.coverage).toEqual({ lines: [1, 2], linesRun: [1, 2] });
  });
});

describe('isolab run --values', () => {
  const dir = mkdtempSync(join(tmpdir(), 'isolab-values-'));
  const file = join(dir, 'values.js');
  writeFileSync(file, 'const a = 6 * 7\na\n"text"\nfor (const x of [1, 2]) x * 10 //?\n');
  const io = (): Io & { out: string; err: string } => {
    const state = { out: '', err: '' };
    return Object.assign(state, { stdout: (t: string) => void (state.out += t), stderr: (t: string) => void (state.err += t), stdin: () => new Uint8Array(), color: false });
  };

  it('prints each value after its line number, then the result', async () => {
    const out = io();
    expect(await main(['run', file, '--values'], out)).toBe(0);
    expect(out.out).toMatch(/^2: 42\n3: 'text'\n4: 20 \(×2, last\)\n← undefined\n/);
  });

  it('puts a values array in the --json result', async () => {
    const out = io();
    expect(await main(['run', file, '--values', '--json'], out)).toBe(0);
    const result = JSON.parse(out.out) as { values: { line: number; value: unknown }[] };
    expect(result.values.map((v) => [v.line, v.value])).toEqual([
      [2, 42],
      [3, 'text'],
      [4, 20],
    ]);
  });
});
