/**
 * Memory bombs through a real engine host (one isolate): each growth pattern must end the run with
 * MemoryLimitError inside its isolate, at the default limit and at a small one, while the host
 * process lives on (same pid, no restart) and runs the next script.
 *
 * The shapes are the ones that escaped the limit (issue 10, item 1), and the ones that did not:
 * - Map, Set and dictionary-mode objects grow one hash table in large steps; once the table is in
 *   old space its successor is allocated there too, past V8's old-generation maximum, and V8
 *   aborted ("Catastrophic out-of-memory error", SIGABRT) instead of isolated-vm ending the run.
 * - A loop building `new Array(1000)` per iteration was compiled by TurboFan into code that never
 *   services an interrupt, so neither the memory limit nor the timeout stopped it ("Script failed
 *   to terminate").
 * - Growing arrays, strings and typed arrays, which already ended at the limit.
 * At 128 MB a hash-table bomb needs several seconds of CPU to fill its heap (7-8 s of process CPU
 * for Map, Set and object keys, measured) and took 20-27 s of wall time on a 2-core machine shared
 * with other work, so the runs get a generous deadline: a TimeoutError here is a very slow machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';

const BOMBS: Record<string, string> = {
  Map: 'const m = new Map(); for (let i = 0; ; i++) m.set(i, i)',
  Set: 'const s = new Set(); for (let i = 0; ; i++) s.add(i)',
  'object keys': "const o = {}; for (let i = 0; ; i++) o['k' + i] = i",
  'array of arrays': 'const a = []; for (;;) a.push(new Array(1000).fill(1.5))',
  // n doubles up to 2^22 elements (32 MB of doubles) and stays there: past 2^25 elements V8 makes a
  // dictionary-mode array, whose fill is one native loop nothing can interrupt (see the README).
  'Array(n).fill': 'const keep = []; for (let n = 1024; ; n = Math.min(2 * n, 2 ** 22)) keep.push(new Array(n).fill(1.5))',
  strings: 'const a = []; for (;;) a.push("x".repeat(10000) + Math.random())',
};
const TYPED_ARRAYS = 'const a = []; for (;;) a.push(new Float64Array(100000))';

const SMALL_MB = 16;
const DEADLINE_MS = 60_000;

let engine: EngineClient;
let firstPid: number | undefined;

beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 1 } });
  firstPid = engine.hostPid;
});

afterAll(async () => {
  await engine?.close();
});

/** Runs `code` and checks that the host neither died nor restarted, and still runs code. */
async function runOnSameHost(code: string, memoryLimitMb: number | undefined) {
  const pid = engine.hostPid;
  const restarts = (await engine.status()).interrupts.hostRestarts;
  const r = await engine.run({ code, timeoutMs: DEADLINE_MS, ...(memoryLimitMb !== undefined ? { memoryLimitMb } : {}) });
  const next = await engine.run({ code: '1 + 1' });
  const status = await engine.status();
  return { r, next, pid, restarts, after: { pid: engine.hostPid, restarts: status.interrupts.hostRestarts } };
}

for (const [label, memoryLimitMb] of [
  ['the default 128 MB', undefined],
  [`${SMALL_MB} MB`, SMALL_MB],
] as const) {
  describe(`memory bombs at ${label}`, () => {
    for (const [shape, code] of Object.entries(BOMBS)) {
      it(`${shape}: MemoryLimitError, same host, next run works`, { timeout: DEADLINE_MS + 15_000 }, async () => {
        const { r, next, pid, restarts, after } = await runOnSameHost(code, memoryLimitMb);
        expect(r.error?.type, r.error?.message).toBe('MemoryLimitError');
        expect(r.error?.message).toContain(`${memoryLimitMb ?? 128} MB memory limit`);
        expect(after.pid).toBe(pid);
        expect(after.restarts).toBe(restarts);
        expect(next.value).toBe(2);
      });
    }

    it('typed arrays: the host lives on and the next run works', { timeout: DEADLINE_MS + 15_000 }, async () => {
      const { r, next, pid, restarts, after } = await runOnSameHost(TYPED_ARRAYS, memoryLimitMb);
      expect(r.ok).toBe(false);
      expect(after.pid).toBe(pid);
      expect(after.restarts).toBe(restarts);
      expect(next.value).toBe(2);
    });

    // External (ArrayBuffer) memory is refused by isolated-vm's allocator, which V8 turns into a
    // catchable "RangeError: Array buffer allocation failed"; the guest reports it with reason
    // 'allocation'. Saying MemoryLimitError for it is the outcome rule's decision
    // (engine/host/pipeline/outcome.ts), not this fix's: flip `it.fails` to `it` once it does.
    it.fails('typed arrays: MemoryLimitError', { timeout: DEADLINE_MS + 15_000 }, async () => {
      const { r } = await runOnSameHost(TYPED_ARRAYS, memoryLimitMb);
      expect(r.error?.type, r.error?.message).toBe('MemoryLimitError');
    });
  });
}

describe('after all the bombs', () => {
  it('is still the first host', async () => {
    expect(engine.hostPid).toBe(firstPid);
    expect((await engine.status()).interrupts.hostRestarts).toBe(0);
    expect((await engine.run({ code: '"alive"' })).value).toBe('alive');
  });
});
