/**
 * Instrumentation must not change what a program does: a corpus of tricky programs runs plain and
 * instrumented (values and coverage) in real isolates, and must give the same result, the same
 * error at the same line and column, and the same console lines; the recorded lines are checked
 * where they matter.
 */
import '../../../../engine/host/v8-flags.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedRunRequest, RunResult } from '../../../../engine/common/contract.ts';
import { InterruptRecorder } from '../../../../engine/host/interrupt-stats.ts';
import { MAX_VALUE_SITES } from '../../../../engine/host/instrument.ts';
import { Jobs } from '../../../../engine/host/pipeline/job.ts';
import { Pool } from '../../../../engine/host/pool.ts';
import { Runner } from '../../../../engine/host/runner.ts';
import { mapColumn, wrapSource } from '../../../../engine/host/wrap.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const clock = new FakeClock();
let pool: Pool;
let runner: Runner;
let n = 0;

beforeAll(async () => {
  pool = Pool.create({ size: 1, maxQueue: 10, memoryLimitMb: 64, guest: { maxLogLines: 1000, maxLogBytes: 1 << 20, maxTimers: 100 }, maxRuns: 1000, maxErrors: 1000, onCatastrophicError: () => {} });
  await pool.ready();
  runner = new Runner({ pool, jobs: new Jobs({ clock, unhonouredAfterMs: 250 }), interrupts: new InterruptRecorder(), clock, emit: () => {}, defaultMemoryLimitMb: 64 });
});
afterAll(() => pool.close());

const run = (request: Partial<ParsedRunRequest> & { code: string }) => runner.run(`r${n++}`, request as ParsedRunRequest, clock.now());

/** What must be the same with and without instrumentation. */
function observable(r: RunResult) {
  const error = r.error && { type: r.error.type, message: r.error.message, line: r.error.line, column: r.error.column, stack: r.error.stack };
  return { ok: r.ok, value: r.value, error, logs: r.logs.map((l) => `${l.level}: ${l.text}`) };
}

async function same(code: string, language?: 'typescript'): Promise<RunResult> {
  const plain = await run({ code, ...(language ? { language } : {}) });
  const instrumented = await run({ code, ...(language ? { language } : {}), record: { values: true, coverage: true } });
  expect(observable(instrumented)).toEqual(observable(plain));
  expect(plain.values).toBeUndefined();
  return instrumented;
}

const at = (r: RunResult, line: number) => r.values!.filter((v) => v.line === line).map((v) => `${v.kind} ${v.preview} ×${v.count}`);

const CORPUS: Record<string, string> = {
  asi: 'let a = 1\nlet b = a\n(function () { return 2 })\nconst c = [1, 2]\n;[3].forEach(x => console.log(x))\na\n++b\nb',
  getters: 'let reads = 0\nconst o = { get x() { reads++; return 5 } }\no.x\no.x //?\nconsole.log(o.x)\nreads',
  thisAndArguments: 'function f() { return [this === globalThis, arguments.length] }\nf(1, 2) //?\nconst o = { m() { return this === o } }\no.m()\n;(function () { return arguments[0] //?\n})(7)\nthis === globalThis',
  labels: 'let s = 0\nouter: for (let i = 0; i < 3; i++) {\n  inner: for (let j = 0; j < 3; j++) {\n    if (j === 1) continue outer\n    if (i === 2) break outer\n    s += i * 10 + j //?\n  }\n}\nblock: { s++; break block; s = -1 }\ns',
  destructuring: 'const { a, b: [c, ...d] = [] } = { a: 1, b: [2, 3, 4] }\nlet x, y\n;({ x, y = 9 } = { x: 8 })\n;[x, y] = [y, x]\n[a, c, d, x, y]',
  comma: 'let i = 0\ni++, i++, i\n(0, Math.max)(1, 2) //?\nconsole.log((1, 2), 3)',
  optionalChaining: 'const o = { p: { q: () => 4 } }\no?.p?.q?.()\no.nope?.q\nconsole?.log?.(o?.p?.q())\n(o.r ?? 5) //?',
  generators: 'function* g() { const x = yield 1 //?\n  yield x * 2 //?\n}\nconst it = g()\nit.next().value\nit.next(21).value',
  classes: 'class A { #v = 3; static s = 1; static { A.s++ } get v() { return this.#v } m() { return super.toString === Object.prototype.toString } }\nclass B extends A { constructor() { super(); this.w = this.v * 2 //?\n } }\nnew B().w\nnew B().m()\nA.s',
  asyncAwait: 'const sleep = (ms) => new Promise(r => setTimeout(r, ms))\nasync function f() { await sleep(1); return 6 //?\n}\nconst v = await f()\nawait Promise.all([f(), f()]) //?\nv * 7',
  exceptions: 'function boom() { throw new RangeError("nope") }\ntry { boom() } catch (e) { console.log(e.message) }\nconst x = 1; boom()',
  thrownValue: 'console.log("before")\nthrow { code: 7 }',
  directives: '"use strict"\nfunction f() { "use strict"; return this }\nf() //?\ntypeof f()',
  sloppyThis: 'function f() { return typeof this }\nf()',
  hoisting: 'g()\nfunction g() { return 1 }\nvar h = 2\nh',
  switchCase: 'function s(x) {\n  switch (x) {\n    case 1: return "one"\n    default:\n      x * 2 //?\n      return "many"\n  }\n}\n[s(1), s(2)]',
  topLevelReturn: 'const a = 1\nif (a) return a + 1\n3',
  objectLiteral: '({ a: 1, b: [2] })',
  template: 'const n = 3\n`n = ${n}` //?\nString.raw`a${n}b`',
  columns: 'const o = {}; o.a; o.a.b',
  columnsAfterProbe: 'let k = 1; k //?\nk; k; null.x',
  sequenceArg: 'console.log((1, 2))\nconsole.log("%s is %d", "x", 5)',
  patchedConsole: 'const seen = []\nconsole.log = (...a) => seen.push(a.join(" "))\nconsole.log("hidden", 1)\nseen',
  patchedFunctionPrototype: 'Function.prototype.call = () => { throw new Error("patched") }\nFunction.prototype.apply = () => { throw new Error("patched") }\nObject.defineProperty(Object.prototype, "0", { set() { throw new Error("setter") }, configurable: true })\nconst x = 5\nx * 2 //?\nconsole.log(x)\nx',
};

describe('instrumented runs behave exactly like plain runs', () => {
  for (const [name, code] of Object.entries(CORPUS)) it(name, async () => void (await same(code)));

  it('TypeScript (types erased, positions kept)', async () => {
    const r = await same('interface P { x: number }\nconst p: P = { x: 2 }\nfunction sq(n: number): number { return n * n }\nsq(p.x) as number\nconst s = <T,>(v: T): T => v\ns<string>("t") //?\nnull!.x', 'typescript');
    expect(at(r, 4)).toEqual(['expression 4 ×1']);
    expect(at(r, 6)).toEqual(["probe 't' ×1"]);
    expect(r.error).toMatchObject({ type: 'TypeError', line: 7 });
  });
});

describe('recorded values', () => {
  it('a top-level expression, a //? in a loop (last value and count), console calls, the error at its line', async () => {
    const r = await run({ code: 'const a = 6 * 7;\na\nfor (let i = 0; i < 5; i++) {\n  i * 2 //?\n  console.log("i", i)\n}\nnull.x', record: { values: true } });
    expect(at(r, 2)).toEqual(['expression 42 ×1']);
    expect(at(r, 4)).toEqual(['probe 8 ×5']);
    expect(at(r, 5)).toEqual(['log i 4 ×5']);
    expect(at(r, 7)).toEqual(["error TypeError: Cannot read properties of null (reading 'x') ×1"]);
    expect(r.coverage).toBeUndefined();
  });

  it("records what the program saw even when it patched console (the recorder is the engine's own)", async () => {
    const r = await same(CORPUS.patchedConsole!);
    expect(at(r, 3)).toEqual(['log hidden 1 ×1']);
    expect(at(r, 4)).toEqual(["expression [ 'hidden 1' ] ×1"]);
  });

  it('keeps values short, leaves out the undefined of call statements, and keeps an object as it was when recorded', async () => {
    const r = await run({ code: 'const o = { n: 1 }\no //?\no.n = 2;\n[1, 2].forEach(() => {})\n"x".repeat(500)', record: { values: true } });
    expect(at(r, 2)).toEqual(['probe { n: 1 } ×1']);
    expect(at(r, 4)).toEqual([]);
    expect(r.values!.find((v) => v.line === 5)!.preview.length).toBe(100);
  });

  it('bounds the sites: past MAX_VALUE_SITES lines nothing more is recorded', async () => {
    const code = Array.from({ length: MAX_VALUE_SITES + 50 }, (_, i) => `${i}`).join('\n');
    const r = await run({ code, record: { values: true } });
    expect(r.ok).toBe(true);
    expect(r.values!.length).toBe(MAX_VALUE_SITES);
  });

  it('puts an expression that spans lines on its last line', async () => {
    const r = await run({ code: '[1, 2, 3]\n  .map((x) => x * 2)\n  .length', record: { values: true } });
    expect(at(r, 3)).toEqual(['expression 3 ×1']);
  });
});

describe('coverage', () => {
  it('marks the lines that ran and leaves a branch not taken unmarked', async () => {
    const r = await run({ code: 'const a = 1\nif (a > 5) {\n  console.log("big")\n} else {\n  console.log("small")\n}\nfunction never() {\n  return 1\n}', record: { coverage: true } });
    expect(r.coverage).toEqual({ lines: [1, 2, 3, 5, 8], linesRun: [1, 2, 5] });
    expect(r.values).toBeUndefined();
  });

  it('shows how far a run stopped by its time limit got, and puts the timeout on the line that was running', async () => {
    const r = await run({ code: 'let i = 0\nwhile (i >= 0) {\n  i++\n}\ni', timeoutMs: 40, record: { values: true, coverage: true } });
    expect(r.error?.type).toBe('TimeoutError');
    expect(r.coverage).toEqual({ lines: [1, 2, 3, 5], linesRun: [1, 2, 3] });
    expect(r.values!.filter((v) => v.kind === 'error').map((v) => v.line)).toEqual([expect.any(Number)]);
    expect([2, 3]).toContain(r.values!.find((v) => v.kind === 'error')!.line);
  });

  it('shows how far a run that threw got', async () => {
    const r = await run({ code: 'let x = 1\nx.y.z = 2\nx = 3', record: { coverage: true } });
    expect(r.coverage).toEqual({ lines: [1, 2, 3], linesRun: [1, 2] });
  });
});

describe('the rewrite', () => {
  it('inserts only on the lines it touches and maps every column back', () => {
    const w = wrapSource('let k = 1; k //?\nk; k; null.x', { instrument: { values: true, coverage: true } });
    const line2 = w.code.split('\n')[2]!;
    const col = line2.indexOf('null.x') + 1;
    expect(mapColumn(w, 2, col)).toBe('k; k; '.length + 1);
    expect(w.code.split('\n')).toHaveLength(4);
  });

  it('picks parameter names the source does not contain', () => {
    const w = wrapSource('const $isolabR = 1\n$isolabR', { instrument: { values: true } });
    expect(w.instrumentation!.recorder).not.toBe('$isolabR');
    expect(w.code.startsWith(`(function (${w.instrumentation!.recorder}, `)).toBe(true);
  });

  it('adds no global', async () => {
    const r = await same('Object.getOwnPropertyNames(globalThis).filter((n) => /isolab/i.test(n))');
    expect(r.value).toEqual([]);
  });
});
