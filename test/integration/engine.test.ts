/**
 * The engine through its real host process: interrupts of every kind, crashes and recovery,
 * isolation between runs, and what user code can and cannot reach.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import type { EngineNotice } from '../../engine/client/api.ts';
import { decodeValue } from '../../engine/common/value.ts';

let engine: EngineClient;

beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 2 }, graceMs: 1_500 });
});

afterAll(async () => {
  await engine?.close();
});

describe('running code', () => {
  it('returns the last expression, console lines and timing', async () => {
    const r = await engine.run({ code: 'const xs = [1, 2, 3];\nconsole.log("sum", xs.reduce((a, b) => a + b));\nxs.map((x) => x * 2)' });
    expect(r.ok).toBe(true);
    expect(r.value).toEqual([2, 4, 6]);
    expect(r.logs.map((l) => l.text)).toEqual(['sum 6']);
    expect(r.timing.totalMs).toBeGreaterThan(0);
    expect(r.heap.limitBytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(r.heap.before?.usedBytes).toBeGreaterThan(0);
  });

  it('returns a parenthesised last expression, such as an object literal', async () => {
    const r = await engine.run({ code: 'const a = 1;\n({ a, b: [a] })' });
    expect(r.value).toEqual({ a: 1, b: [1] });
  });

  it('supports top-level await and return', async () => {
    const r = await engine.run({ code: 'const v = await Promise.resolve(20);\nif (v > 10) return v * 2;\n"unreached"' });
    expect(r.value).toBe(40);
  });

  it('reports runtime errors at the line and column of the user source', async () => {
    const r = await engine.run({ code: 'let a = 1;\n\n  null.foo' });
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ type: 'TypeError', line: 3, column: 8 });
    expect(r.error?.stack).not.toMatch(/isolab:guest/);
  });

  it('reports syntax errors at the user position', async () => {
    const r = await engine.run({ code: 'const ok = 1;\nfunction (\n' });
    expect(r.error).toMatchObject({ type: 'SyntaxError', line: 2 });
  });

  it('runs TypeScript with its types stripped', async () => {
    const r = await engine.run({ code: 'interface P { x: number }\nconst p: P = { x: 2 };\np.x * 21', language: 'typescript' });
    expect(r.value).toBe(42);
    const early = await engine.run({ code: 'const v: number = await Promise.resolve(2);\nif (v > 1) return v * 2;\nreturn 0', language: 'typescript' });
    expect(early.value).toBe(4);
    const bad = await engine.run({ code: 'let ok = 1;\nenum E { A }', language: 'typescript' });
    expect(bad.error).toMatchObject({ type: 'SyntaxError', line: 2, column: 1 });
  });

  it('brings back Date, Map, Set, BigInt, typed arrays and previews faithfully', async () => {
    const r = await engine.run({ code: 'return { d: new Date(0), m: new Map([["a", 1]]), s: new Set([1n]), u: new Uint16Array([1, 500]), f() {}, n: NaN }' });
    const v = decodeValue(r.value!) as Record<string, unknown>;
    expect(v.d).toEqual(new Date(0));
    expect(v.m).toEqual(new Map([['a', 1]]));
    expect(v.s).toEqual(new Set([1n]));
    expect(Array.from(v.u as Uint16Array)).toEqual([1, 500]);
    expect(v.f).toMatchObject({ $isolab: 'function', name: 'f' });
    expect(v.n).toBeNaN();
  });

  it('never runs getters, toJSON or proxy traps of a returned value in the host', async () => {
    const r = await engine.run({
      code: `globalThis.hits = 0;
        const o = { get g() { globalThis.hits++; return 1 }, toJSON() { globalThis.hits++; return 'x' } };
        return o`,
      reuseContext: true,
    });
    expect(r.value).toMatchObject({ g: { $isolab: 'getter' }, toJSON: { $isolab: 'function' } });
    const hits = await engine.run({ code: 'globalThis.hits', reuseContext: true });
    expect(hits.value).toBe(0);
  });

  it('calls a named top-level function with JSON arguments', async () => {
    const r = await engine.run({ code: 'function add(a, b) { return a + b }\nconst mul = (a, b) => a * b;', call: { name: 'mul', args: [6, 7] } });
    expect(r.value).toBe(42);
    const missing = await engine.run({ code: 'function add(a, b) { return a + b }\nconst mul = (a, b) => a * b;', call: { name: 'sub', args: [] } });
    expect(missing.ok).toBe(false);
    expect(missing.error?.message).toMatch(/Functions found: add, mul/);
  });

  it('bounds console output with a visible marker', async () => {
    const engine2 = await EngineClient.start({ host: { poolSize: 1, maxLogLines: 50 } });
    try {
      const r = await engine2.run({ code: 'for (let i = 0; i < 1000; i++) console.log(i)' });
      expect(r.ok).toBe(true);
      expect(r.logsTruncated).toBe(true);
      expect(r.logs.length).toBe(51);
      expect(r.logs[50]!.text).toMatch(/truncated/);
    } finally {
      await engine2.close();
    }
  });

  it('clears timers left pending at the end of a run and counts them', async () => {
    const r = await engine.run({ code: 'setTimeout(() => {}, 10_000); setInterval(() => {}, 5); 1' });
    expect(r.handles?.clearedAtEnd).toEqual({ timer: 2 });
    expect(r.handles?.outstanding.timer).toBeUndefined();
  });

  it('fires timers the code awaits', async () => {
    const r = await engine.run({ code: 'const t = Date.now(); await new Promise((r) => setTimeout(r, 30)); console.log("late"); Date.now() - t >= 25' });
    expect(r.value).toBe(true);
    expect(r.logs[0]?.text).toBe('late');
  });
});

describe('isolation', () => {
  it('runs the same declarations twice in a reused context without collisions', async () => {
    const code = 'const x = 1; let y = 2; class C {} function f() { return x + y }\nf()';
    const a = await engine.run({ code, reuseContext: true });
    const b = await engine.run({ code, reuseContext: true });
    expect(a.value).toBe(3);
    expect(b.ok).toBe(true);
    expect(b.value).toBe(3);
  });

  it('gives each run a fresh context by default', async () => {
    await engine.run({ code: 'globalThis.leftover = 1' });
    await engine.run({ code: 'globalThis.leftover = 1' });
    const r = await engine.run({ code: 'typeof globalThis.leftover' });
    expect(r.value).toBe('undefined');
  });

  it('returns each of 1,000 concurrent runs its own value', async () => {
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => engine.run({ code: `return ${i} * 2` })));
    results.forEach((r, i) => {
      expect(r.ok).toBe(true);
      expect(r.value).toBe(i * 2);
    });
    expect(new Set(results.map((r) => r.runId)).size).toBe(1000);
  }, 120_000);

  it('exposes no host capability to user code', async () => {
    const r = await engine.run({
      code: `return [typeof process, typeof require, typeof module, typeof __dirname, typeof gc, typeof __isolab_install,
        Object.getOwnPropertyNames(globalThis).filter((k) => /isolab|ivm|^Reference$|^Callback$|^ExternalCopy$|^Isolate$/i.test(k)).length]`,
    });
    expect(r.value).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 0]);
  });

  it('keeps constructor-chain escapes inside the sandbox', async () => {
    const r = await engine.run({
      code: `const F = console.log.constructor;
        const g = F('return this')();
        const viaTimer = setTimeout.constructor('return typeof process')();
        return [g === globalThis, typeof g.process, viaTimer, typeof (console.log.constructor.constructor('return process')())]`,
    });
    expect(r.ok).toBe(false);
    expect(r.error?.type).toBe('ReferenceError');
    const r2 = await engine.run({ code: `const g = console.log.constructor('return this')(); [g === globalThis, typeof g.process, typeof g.require]` });
    expect(r2.value).toEqual([true, 'undefined', 'undefined']);
  });

  it('is not fooled by patched builtins when reporting results and logs', async () => {
    const r = await engine.run({
      code: `JSON.stringify = () => 'hacked'; Object.prototype.toJSON = () => 'hacked';
        Array.prototype.push = () => { throw new Error('no') };
        console.log({ a: 1 }); return { b: [1, 2] }`,
    });
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ b: [1, 2] });
    expect(r.logs[0]?.text).toContain('a: 1');
  });
});

describe('interrupts', () => {
  it('stops a synchronous infinite loop at the deadline', async () => {
    const r = await engine.run({ code: 'for (;;) {}', timeoutMs: 200 });
    expect(r.error?.type).toBe('TimeoutError');
    expect(r.timing.totalMs).toBeLessThan(2_000);
  });

  it('stops a promise that never settles at the deadline', async () => {
    const r = await engine.run({ code: 'await new Promise(() => {})', timeoutMs: 200 });
    expect(r.error?.type).toBe('TimeoutError');
  });

  it('stops a microtask flood', async () => {
    const r = await engine.run({ code: 'for (;;) await null', timeoutMs: 200 });
    expect(r.error?.type).toBe('TimeoutError');
  });

  it('stops timer ping-pong at the deadline', async () => {
    const r = await engine.run({ code: 'await new Promise(() => { const tick = () => setTimeout(tick, 1); tick(); })', timeoutMs: 200 });
    expect(r.error?.type).toBe('TimeoutError');
  });

  it('enforces a CPU limit', async () => {
    const r = await engine.run({ code: 'for (;;) {}', timeoutMs: 5_000, cpuLimitMs: 100 });
    expect(r.error?.type).toBe('CpuLimitError');
  });

  it('cancels a running loop', async () => {
    const runId = 'cancel-me';
    const pending = engine.run({ code: 'for (;;) {}', timeoutMs: 30_000 }, { runId });
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.cancel(runId)).toBe(true);
    const r = await pending;
    expect(r.error?.type).toBe('CancelledError');
    expect(r.timing.totalMs).toBeLessThan(5_000);
  });

  it('ends a memory bomb with MemoryLimitError and keeps working', async () => {
    const r = await engine.run({ code: 'const a = []; for (;;) a.push(new Array(1000).fill(Math.random()))', memoryLimitMb: 32 });
    expect(r.error?.type).toBe('MemoryLimitError');
    const after = await engine.run({ code: '1 + 1' });
    expect(after.value).toBe(2);
  });

  it('recovers after every isolate was interrupted', async () => {
    await Promise.all([engine.run({ code: 'for(;;){}', timeoutMs: 50 }), engine.run({ code: 'for(;;){}', timeoutMs: 50 })]);
    const r = await engine.run({ code: '"alive"' });
    expect(r.value).toBe('alive');
  });

  it('counts interrupts and their latency', async () => {
    const stats = (await engine.status()).interrupts;
    expect(stats.timeouts).toBeGreaterThanOrEqual(4);
    expect(stats.cancels).toBeGreaterThanOrEqual(1);
    expect(stats.memoryLimits).toBeGreaterThanOrEqual(1);
    expect(stats.latencyMs.count).toBeGreaterThan(0);
  });
});

describe('supervision', () => {
  it('fails runs in flight with EngineCrashedError when the host is killed, then recovers', async () => {
    const notices: EngineNotice[] = [];
    const off = engine.onNotice((n) => notices.push(n));
    const pid = engine.hostPid!;
    const pending = engine.run({ code: 'await new Promise((r) => setTimeout(r, 5_000))', timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 200));
    process.kill(pid, 'SIGKILL');
    const r = await pending;
    expect(r.error?.type).toBe('EngineCrashedError');
    const next = await engine.run({ code: '6 * 7' });
    expect(next.value).toBe(42);
    expect(engine.hostPid).not.toBe(pid);
    expect(notices.some((n) => n.type === 'hostExited' && n.pid === pid)).toBe(true);
    off();
  });

  it('kills and replaces a host that stops answering its heartbeat', async () => {
    const client = await EngineClient.start({ host: { poolSize: 1 }, heartbeatIntervalMs: 100, heartbeatTimeoutMs: 500 });
    try {
      const pid = client.hostPid!;
      process.kill(pid, 'SIGSTOP');
      const pending = client.run({ code: '1' });
      const r = await pending;
      // The run was sent to the frozen host, which never started it: it runs on the new host.
      expect(r.error).toBeUndefined();
      expect(r.value).toBe(1);
      const next = await client.run({ code: '2' });
      expect(next.value).toBe(2);
      expect(client.hostPid).not.toBe(pid);
    } finally {
      await client.close();
    }
  });

  it("kills the host when code isolated-vm cannot interrupt outlives its deadline", async () => {
    const client = await EngineClient.start({ host: { poolSize: 1 }, graceMs: 500 });
    try {
      const r = await client.run({ code: 'new Array(2 ** 32 - 1).fill(0)', timeoutMs: 300 });
      expect(r.error?.type).toBe('TimeoutError');
      const next = await client.run({ code: '"recovered"' });
      expect(next.value).toBe('recovered');
    } finally {
      await client.close();
    }
  });

  it('refuses work past the queue bound with EngineBusyError', async () => {
    const client = await EngineClient.start({ host: { poolSize: 1, maxQueue: 2 } });
    try {
      const runs = Array.from({ length: 6 }, () => client.run({ code: 'await new Promise((r) => setTimeout(r, 200))' }));
      const results = await Promise.all(runs);
      const busy = results.filter((r) => r.error?.type === 'EngineBusyError');
      expect(busy.length).toBe(3);
      expect(busy[0]!.error!.message).toMatch(/queued/);
    } finally {
      await client.close();
    }
  });

  it('rejects invalid requests with a typed error instead of crashing', async () => {
    const r = await engine.run({ code: 42 as unknown as string });
    expect(r.error?.type).toBe('InvalidRequestError');
    const r2 = await engine.run({ code: '1', timeoutMs: -5 });
    expect(r2.error?.type).toBe('InvalidRequestError');
  });
});

describe('memory budgets and sampling', () => {
  it('streams heap samples while a run executes and reports heap before and after', async () => {
    const samples: number[] = [];
    const r = await engine.run(
      { code: 'const keep = []; for (let i = 0; i < 20; i++) { keep.push(new Array(50_000).fill(i)); await new Promise((r) => setTimeout(r, 10)); } keep.length', stream: { heap: true, heapIntervalMs: 10 } },
      { onEvent: (e) => e.type === 'heap' && samples.push(e.sample.usedBytes) },
    );
    expect(r.value).toBe(20);
    expect(samples.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...samples)).toBeGreaterThan(samples[0]! + 1_000_000);
    expect(r.heap.usedBytes).toBeGreaterThan(r.heap.before!.usedBytes);
  });

  it('streams console lines as events when asked', async () => {
    const lines: string[] = [];
    const r = await engine.run({ code: 'console.log("a"); await null; console.warn("b")', stream: { logs: true } }, { onEvent: (e) => e.type === 'log' && lines.push(e.entry.text) });
    expect(r.ok).toBe(true);
    expect(lines).toEqual(['a', 'b']);
  });

  it('exits a host whose RSS passes its hard limit, and the client starts a fresh one', async () => {
    const client = await EngineClient.start({ host: { poolSize: 1, rssBudgetMb: 400, rssCheckIntervalMs: 50 } });
    try {
      const pid = client.hostPid!;
      const r = await client.run({
        code: 'const keep = []; for (let i = 0; i < 8; i++) keep.push(new Uint8Array(100e6).fill(1)); await new Promise((r) => setTimeout(r, 3000)); keep.length',
        memoryLimitMb: 2048,
        timeoutMs: 20_000,
      });
      expect(r.error?.type).toBe('EngineCrashedError');
      expect(r.error?.message).toMatch(/went past its memory limit \(RSS \d+ MB > 600 MB\)/);
      const next = await client.run({ code: '"fresh"' });
      expect(next.value).toBe('fresh');
      expect(client.hostPid).not.toBe(pid);
    } finally {
      await client.close();
    }
  });
});
