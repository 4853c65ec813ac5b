/**
 * The Buffer conformance suite INSIDE a real isolate, through the engine host process: every case
 * of test/unit/engine/guest/buffer/cases.ts is evaluated in the sandbox and compared with host Node.
 * Plus what only the real engine can show: the bridge is unreachable from user code, patched
 * builtins do not break the Buffer, limits stay limits, and the console renders Buffers like Node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import type { EngineNotice } from '../../engine/client/api.ts';
import type { RunRequest, RunResult } from '../../engine/common/contract.ts';
import { decodeValue } from '../../engine/common/value.ts';
import { LITERAL_CASES, conformanceCases } from '../unit/engine/guest/buffer/cases.ts';
import { DESCRIBE_SOURCE } from '../unit/engine/guest/buffer/describe.ts';
import { evaluate, hostEnv } from '../unit/engine/guest/buffer/sandbox.ts';

let engine: EngineClient;
const notices: EngineNotice[] = [];

beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 1 } });
  engine.onNotice((n) => notices.push(n));
});

afterAll(async () => {
  await engine?.close();
});

async function run(code: string, extra: Partial<RunRequest> = {}): Promise<RunResult> {
  return engine.run({ code, timeoutMs: 120_000, ...extra });
}

async function value(code: string, extra: Partial<RunRequest> = {}): Promise<unknown> {
  const r = await run(code, extra);
  if (!r.ok) throw new Error(`run failed: ${r.error?.type}: ${r.error?.message}\n${code.slice(0, 500)}`);
  return decodeValue(r.value!);
}

/** Describes each expression inside the sandbox, in batches (one run per batch). */
async function describeInSandbox(exprs: string[]): Promise<string[]> {
  const out: string[] = [];
  const BATCH = 400;
  for (let i = 0; i < exprs.length; i += BATCH) {
    const batch = exprs.slice(i, i + BATCH);
    const body = batch.map((e) => `describe(function () { return (${e}); })`).join(',\n');
    const json = await value(`${DESCRIBE_SOURCE}\nreturn JSON.stringify([\n${body}\n]);`);
    out.push(...(JSON.parse(json as string) as string[]));
  }
  return out;
}

describe('Buffer inside the sandbox', () => {
  it('matches host Node on every conformance case', { timeout: 300_000 }, async () => {
    const cases = conformanceCases();
    const got = await describeInSandbox(cases);
    expect(got).toHaveLength(cases.length);
    const mismatches: string[] = [];
    cases.forEach((expr, i) => {
      const want = evaluate(hostEnv, expr);
      if (got[i] !== want) mismatches.push(`${expr}\n    host:    ${want}\n    sandbox: ${got[i]}`);
    });
    expect(mismatches.slice(0, 30).join('\n'), `${mismatches.length} of ${cases.length} differ`).toBe('');
  });

  it('matches the values pinned from Node documentation', async () => {
    const got = await describeInSandbox(LITERAL_CASES.map(([expr]) => expr));
    expect(got).toEqual(LITERAL_CASES.map(([, want]) => want));
  });

  it('encodes and decodes multi-megabyte data through the host bridge, byte-exactly', { timeout: 120_000 }, async () => {
    const code = `
      const n = 5 * 1024 * 1024 + 3;
      const b = Buffer.alloc(n);
      let x = 12345;
      for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = x >>> 24; }
      const out = {};
      for (const enc of ['hex', 'base64', 'base64url', 'latin1', 'utf16le', 'utf8', 'ascii']) {
        const s = b.toString(enc);
        out[enc] = [s.length, s.slice(0, 64), s.slice(-64), Buffer.from(s, enc).equals(enc === 'utf8' || enc === 'ascii' ? Buffer.from(s, enc) : b.subarray(0, enc === 'utf16le' ? n - 1 : n))];
      }
      return out;`;
    const got = (await value(code)) as Record<string, [number, string, string, boolean]>;
    const n = 5 * 1024 * 1024 + 3;
    const b = Buffer.alloc(n);
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      b[i] = x >>> 24;
    }
    for (const enc of ['hex', 'base64', 'base64url', 'latin1', 'utf16le', 'utf8', 'ascii'] as const) {
      const s = b.toString(enc);
      expect(got[enc], enc).toEqual([s.length, s.slice(0, 64), s.slice(-64), true]);
    }
  });

  it('renders Buffers in console.log and results like Node', async () => {
    const r = await run(`console.log(Buffer.from('hello')); console.log(String(Buffer.from('hi'))); return Buffer.from([1, 2, 255]);`);
    expect(r.ok).toBe(true);
    expect(r.logs.map((l) => l.text)).toEqual(['<Buffer 68 65 6c 6c 6f>', 'hi']);
    expect(r.value).toMatchObject({ $isolab: 'bytes', kind: 'Buffer' });
    expect(Array.from(decodeValue(r.value!) as Uint8Array)).toEqual([1, 2, 255]);
  });

  it('keeps Buffer, TextEncoder, TextDecoder, atob, btoa as non-enumerable globals', async () => {
    const got = await value(`return ['Buffer', 'TextEncoder', 'TextDecoder', 'atob', 'btoa'].map((k) => [typeof globalThis[k], Object.getOwnPropertyDescriptor(globalThis, k).enumerable, Object.keys(globalThis).includes(k)])`);
    expect(got).toEqual(Array(5).fill(['function', false, false]));
  });
});

describe('Buffer limits inside the sandbox', () => {
  it('Buffer.alloc(2 ** 40) is a RangeError and the engine carries on', async () => {
    const r = await run('Buffer.alloc(2 ** 40)');
    expect(r.ok).toBe(false);
    expect(r.error?.type).toBe('RangeError');
    expect(await value('Buffer.from("still here").toString("hex")')).toBe(Buffer.from('still here').toString('hex'));
  });

  it('allocating past the memory limit ends the run, not the engine', { timeout: 120_000 }, async () => {
    const before = notices.length;
    const r = await run('const keep = []; for (;;) keep.push(Buffer.alloc(8 * 1024 * 1024, 1));', { memoryLimitMb: 64 });
    expect(r.ok).toBe(false);
    expect(['MemoryLimitError', 'RangeError']).toContain(r.error?.type);
    const big = await run('const keep = []; for (;;) keep.push(Buffer.alloc(4 * 1024 * 1024, 1).toString("hex"));', { memoryLimitMb: 64 });
    expect(big.ok).toBe(false);
    expect(['MemoryLimitError', 'RangeError']).toContain(big.error?.type);
    expect(await value('Buffer.byteLength("ok")')).toBe(2);
    expect(notices.slice(before).filter((n) => n.type === 'hostExited')).toEqual([]);
  });

  it('stays correct past the per-run host budget (the guest takes over the work)', { timeout: 180_000 }, async () => {
    // 70 × 16 MiB = 1.1 GiB: past the default 1 GiB per-run host budget.
    const got = await value(`
      const b = Buffer.alloc(16 * 1024 * 1024, 'abc');
      let ok = 0;
      for (let i = 0; i < 70; i++) { b[i] = i; if (b.toString('base64').length === 22369624) ok++; }
      return [ok, b.toString('base64', 0, 12)];`);
    const b = Buffer.alloc(16 * 1024 * 1024, 'abc');
    for (let i = 0; i < 70; i++) b[i] = i;
    expect(got).toEqual([70, b.toString('base64', 0, 12)]);
  });
});

const WALK = `
      const seen = new Set();
      const queue = [globalThis, Buffer.from('x'), new TextDecoder(), new TextEncoder(), Buffer.prototype.toString.constructor('return this')()];
      const suspicious = [];
      while (queue.length) {
        const v = queue.shift();
        if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) continue;
        seen.add(v);
        queue.push(Object.getPrototypeOf(v));
        for (const k of Reflect.ownKeys(v)) {
          const d = Object.getOwnPropertyDescriptor(v, k);
          if ('value' in d) queue.push(d.value); else queue.push(d.get, d.set);
        }
        if (typeof v === 'function') {
          const src = Function.prototype.toString.call(v);
          if (/\\[native code\\]/.test(src) && /encode|decode/i.test(v.name) && !/^(encode|decode)(URI|URIComponent)?$/.test(v.name) && !(v === TextEncoder.prototype.encode || v === TextDecoder.prototype.decode)) suspicious.push(v.name + ': ' + src.slice(0, 80));
        }
      }
      const proto = Buffer.prototype;
      const tricks = [proto.__lookupGetter__('parent'), proto.__lookupGetter__('offset'), Buffer.prototype.toString.constructor === Function, typeof globalThis.__isolab_install];
      return { count: seen.size, suspicious, tricks: [typeof tricks[0], typeof tricks[1], tricks[2], tricks[3]] };`;

describe('the codec bridge is out of reach of user code', () => {
  it('no reachable function is a host codec callback (prototype walk from globalThis)', async () => {
    const got = await value(WALK);
    expect(got).toMatchObject({ suspicious: [], tricks: ['function', 'function', true, 'undefined'] });
    expect((got as { count: number }).count).toBeGreaterThan(500);
    // Control: a planted native function named like a codec is found by the same walk.
    const planted = (await value(`globalThis.planted = (function encode() {}).bind(null);\n${WALK}`)) as { suspicious: string[] };
    expect(planted.suspicious).toHaveLength(1);
  });

  it('patched Function.prototype.call/apply/bind, Array and String methods neither break the Buffer nor see the bridge', { timeout: 60_000 }, async () => {
    const got = await value(`
      const big = 'h\\u00e9llo '.repeat(200000);
      const seen = [];
      const hits = [];
      const apply = Reflect.apply;
      const define = Object.defineProperty;
      const TA = Object.getPrototypeOf(Uint8Array.prototype);
      const targets = [[Function.prototype, 'call'], [Function.prototype, 'apply'], [Function.prototype, 'bind'], [Array.prototype, 'push'],
        [Array.prototype, 'join'], [Array.prototype, 'slice'], [Array.prototype, Symbol.iterator], [String.prototype, 'charCodeAt'],
        [String.prototype, 'slice'], [String.prototype, 'toLowerCase'], [TA, 'set'], [TA, 'subarray'], [TA, 'fill'], [Math, 'min'],
        [String, 'fromCharCode'], [Reflect, 'apply'], [Object, 'defineProperty']];
      const saved = [];
      for (let i = 0; i < targets.length; i++) saved[saved.length] = Object.getOwnPropertyDescriptor(targets[i][0], targets[i][1]);
      for (let i = 0; i < targets.length; i++) {
        const original = saved[i].value, key = targets[i][1];
        define(targets[i][0], key, { configurable: true, writable: true, value: function spy(...args) {
          hits[hits.length] = String(key);
          seen[seen.length] = this;
          for (let j = 0; j < args.length; j++) seen[seen.length] = args[j];
          return apply(original, this, args);
        } });
      }
      let results;
      try {
        const b = Buffer.from(big);
        const b64 = b.toString('base64');
        results = [b64.length, Buffer.from(b64, 'base64').equals(b), b.toString('hex', 0, 4), Buffer.concat([Buffer.from('ab'), Buffer.from('cd')]).toString(),
          b.indexOf('llo'), new TextDecoder().decode(new TextEncoder().encode('\\u20ac')), atob(btoa('ok'))];
      } finally {
        for (let i = 0; i < targets.length; i++) define(targets[i][0], targets[i][1], saved[i]);
      }
      const natives = seen.filter((v) => typeof v === 'function' && /\\[native code\\]/.test(Function.prototype.toString.call(v)) && /encode|decode/.test(v.name));
      return { results, hits, natives: natives.length };`);
    const b64 = Buffer.from('h\u00e9llo '.repeat(200000)).toString('base64');
    expect(got).toEqual({ results: [b64.length, true, '68c3a96c', 'abcd', 3, '\u20ac', 'ok'], hits: [], natives: 0 });
  });
});
