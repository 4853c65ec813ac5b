/**
 * `npm run bench:buffer [-- --json] [-- --reps N] [-- --thresholds]`
 *
 * The sandbox Buffer against host Node's, on the same bytes: the sandbox side is timed inside the
 * guest (performance.now() around the Buffer call, from the call to the returned string/buffer),
 * the host side as plain Node Buffer calls in this process. Each case is the median of `reps`
 * repetitions (`--reps`, default 5, in each of 3 rounds where sandbox and host take turns; 201
 * batched calls per repetition for the 64-byte cases). With --json the last line is
 * `{ "cases": [ { "case", "sandboxMs", "hostMs", "ratio" } ] }`.
 *
 * --thresholds measures, in a raw isolate with the guest Buffer installed twice (in-isolate codecs
 * only / host codecs only, bridged exactly like the engine does), the per-call cost of both paths
 * at sizes around the bridge threshold; the README records the numbers behind the defaults.
 */
import { EngineClient } from '../../engine/client/engine-client.ts';
import { decodeValue } from '../../engine/common/value.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const repsArg = args.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(args[repsArg + 1]) : 5;
const SMALL_BATCH = 201;
const MB = 1024 * 1024;

interface Case {
  name: string;
  /** Bytes generated before timing (deterministic, identical in guest and host). */
  size: number;
  /** Content: random bytes, or UTF-8 text (mixed ASCII and 2-4 byte characters). */
  content: 'random' | 'text';
  /** What is timed: bytes -> string, or string (made from the bytes) -> bytes. */
  op: 'toString' | 'from';
  encoding: 'hex' | 'utf8' | 'base64' | 'base64url' | 'latin1';
  batch: number;
}

const CASES: Case[] = [
  { name: 'toString hex 64B', size: 64, content: 'random', op: 'toString', encoding: 'hex', batch: SMALL_BATCH },
  { name: 'from utf8 64B', size: 64, content: 'text', op: 'from', encoding: 'utf8', batch: SMALL_BATCH },
  { name: 'toString hex 1MB', size: MB, content: 'random', op: 'toString', encoding: 'hex', batch: 1 },
  { name: 'toString utf8 16MB', size: 16 * MB, content: 'text', op: 'toString', encoding: 'utf8', batch: 1 },
  { name: 'toString hex 20MB', size: 20 * MB, content: 'random', op: 'toString', encoding: 'hex', batch: 1 },
  { name: 'toString base64 20MB', size: 20 * MB, content: 'random', op: 'toString', encoding: 'base64', batch: 1 },
  { name: 'toString base64url 20MB', size: 20 * MB, content: 'random', op: 'toString', encoding: 'base64url', batch: 1 },
  { name: 'toString latin1 20MB', size: 20 * MB, content: 'random', op: 'toString', encoding: 'latin1', batch: 1 },
  { name: 'from hex 20MB', size: 20 * MB, content: 'random', op: 'from', encoding: 'hex', batch: 1 },
  { name: 'from base64 20MB', size: 20 * MB, content: 'random', op: 'from', encoding: 'base64', batch: 1 },
  { name: 'from utf8 16MB', size: 16 * MB, content: 'text', op: 'from', encoding: 'utf8', batch: 1 },
];

/**
 * Runs unchanged in the guest and on the host (it only needs `Buffer`), so both sides time the
 * same calls on the same bytes. `now` is performance.now on either side.
 */
const CASE_SOURCE = String.raw`function runCase(c, reps, now) {
  const bytes = Buffer.alloc(c.size);
  let x = 0x2545f491;
  const pieces = [0x61, 0x62, 0x63, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80];
  for (let i = 0; i < c.size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    if (c.content === 'random') bytes[i] = x & 255;
    else {
      // Whole characters only, so the text is valid UTF-8.
      const k = x % 10;
      if (k < 7 || i + 4 > c.size) bytes[i] = 97 + (x >>> 8) % 26;
      else if (k < 8) { bytes[i++] = 0xc3; bytes[i] = 0xa9; }
      else if (k < 9) { bytes[i++] = 0xe2; bytes[i++] = 0x82; bytes[i] = 0xac; }
      else { bytes[i++] = 0xf0; bytes[i++] = 0x9f; bytes[i++] = 0x98; bytes[i] = 0x80; }
    }
  }
  const input = c.op === 'from' ? bytes.toString(c.encoding) : bytes;
  const times = [];
  let check = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    for (let k = 0; k < c.batch; k++) {
      const out = c.op === 'from' ? Buffer.from(input, c.encoding) : input.toString(c.encoding);
      check += out.length;
    }
    times.push((now() - t0) / c.batch);
  }
  return { times, check };
}`;

const runCase = new Function(`${CASE_SOURCE}; return runCase;`)() as (c: Case, reps: number, now: () => number) => { times: number[]; check: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/** Sandbox and host take turns, so background load on this 2-core machine hits both sides alike. */
const ROUNDS = 3;

async function main(): Promise<void> {
  if (args.includes('--thresholds')) {
    await measureThresholds();
    return;
  }
  const engine = await EngineClient.start({ host: { poolSize: 1, memoryLimitMb: 2048 } });
  const rows: { case: string; sandboxMs: number; hostMs: number; ratio: number }[] = [];
  try {
    for (const c of CASES) {
      // Warm both sides once (JIT, first-touch of the pools), then measure.
      const code = `${CASE_SOURCE}\nconst c = ${JSON.stringify(c)};\nrunCase({ ...c, size: Math.min(c.size, 65536) }, 2, () => performance.now());\nconst r = runCase(c, ${REPS}, () => performance.now());\nreturn [r.times, r.check];`;
      const sandboxTimes: number[] = [];
      const hostTimes: number[] = [];
      runCase({ ...c, size: Math.min(c.size, 65536) }, 2, () => performance.now());
      for (let round = 0; round < ROUNDS; round++) {
        const result = await engine.run({ code, timeoutMs: 600_000, memoryLimitMb: 2048 });
        if (!result.ok) throw new Error(`${c.name}: ${result.error?.type}: ${result.error?.message}`);
        const [times, sandboxCheck] = decodeValue(result.value!) as [number[], number];
        sandboxTimes.push(...times);
        const host = runCase(c, REPS, () => performance.now());
        hostTimes.push(...host.times);
        if (host.check !== sandboxCheck) throw new Error(`${c.name}: sandbox produced ${sandboxCheck} units, host ${host.check}`);
      }
      const sandboxMs = median(sandboxTimes);
      const hostMs = median(hostTimes);
      const row = { case: c.name, sandboxMs: round(sandboxMs), hostMs: round(hostMs), ratio: round(sandboxMs / hostMs) };
      rows.push(row);
      if (!json) console.log(`${row.case.padEnd(26)} sandbox ${fmt(row.sandboxMs)} ms   host ${fmt(row.hostMs)} ms   ratio ${row.ratio.toFixed(2)}`);
    }
  } finally {
    await engine.close();
  }
  if (json) console.log(JSON.stringify({ cases: rows }));
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
const fmt = (n: number) => (n < 1 ? n.toFixed(4) : n.toFixed(1)).padStart(9);

/** Raw isolate, guest Buffer installed with "never host" and "always host" thresholds. */
async function measureThresholds(): Promise<void> {
  const { default: ivm } = await import('isolated-vm');
  const { buildSync } = await import('esbuild');
  const { createHostCodec } = await import('../../engine/host/codec-bridge.ts');
  const bundle = buildSync({
    entryPoints: [new URL('../../engine/guest/buffer/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    globalName: '__buffer',
    platform: 'neutral',
    target: 'es2023',
    write: false,
  }).outputFiles[0]!.text;
  const isolate = new ivm.Isolate({ memoryLimit: 1024 });
  const context = isolate.createContextSync();
  context.evalSync(bundle);
  const codec = createHostCodec();
  context.global.setSync('_encode', new ivm.Callback((b: Uint8Array, e: string) => codec.encode(b, e)));
  context.global.setSync('_decode', new ivm.Callback((t: string, e: string) => codec.decode(t, e)));
  context.global.setSync('_now', new ivm.Callback(() => performance.now()));
  const table = context.evalSync(String.raw`(() => {
    const all = (n) => ({ utf8: n, utf16le: n, latin1: n, ascii: n, base64: n, base64url: n, hex: n });
    const host = {}, js = {};
    __buffer.installBuffer(host, { encode: (b, e) => _encode(b, e), decode: (t, e) => _decode(t, e) }, { thresholds: { encode: all(0), decode: all(0) } });
    __buffer.installBuffer(js, undefined, { thresholds: { encode: all(Infinity), decode: all(Infinity) } });
    const H = host.Buffer, J = js.Buffer;
    // Median of 7 batches; each batch runs long enough (~2 ms) for the clock to resolve it.
    const time = (fn, size) => {
      const n = Math.max(5, Math.floor(500000 / (size + 64)));
      for (let i = 0; i < n; i++) fn();
      const t = [];
      for (let r = 0; r < 7; r++) { const s = _now(); for (let i = 0; i < n; i++) fn(); t.push((_now() - s) * 1000 / n); }
      t.sort((a, b) => a - b);
      return Math.round(t[3] * 10) / 10;
    };
    const rows = ['encoding size  js-encode-us host-encode-us  js-decode-us host-decode-us'];
    for (const enc of ['hex', 'base64', 'base64url', 'utf8', 'latin1', 'ascii', 'utf16le']) {
      for (const size of [256, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 262144]) {
        const b = J.allocUnsafeSlow(size);
        for (let i = 0; i < size; i++) b[i] = enc === 'utf8' ? (i % 5 === 0 ? 0xc3 : i % 5 === 1 ? 0xa9 : 97 + (i % 26)) : (i * 7919) & (enc === 'ascii' ? 127 : 255);
        const s = b.toString(enc);
        rows.push([enc.padEnd(9), String(size).padStart(6), String(time(() => J.prototype.toString.call(b, enc), size)).padStart(12), String(time(() => H.prototype.toString.call(b, enc), size)).padStart(14),
          String(time(() => J.from(s, enc), size)).padStart(14), String(time(() => H.from(s, enc), size)).padStart(14)].join(' '));
      }
    }
    return rows.join('\n');
  })()`) as string;
  console.log(table);
  isolate.dispose();
}

await main();
