/**
 * Stress: consecutive encode/decode runs through ONE engine, random sizes 0-4 MB and random
 * encodings (including aliases), each byte-exact against host Node, with no host crash and a flat
 * host RSS. Every run round-trips: bytes -> toString(enc) -> Buffer.from(string, enc), so both
 * directions and both codec paths (in-isolate below the threshold, host bridge above) are hit.
 *
 * ISOLAB_BUFFER_STRESS_RUNS sets the count (default 20,000; sizes are log-uniform over 0-4 MB so
 * that thousands of runs cross the thresholds and hundreds are multi-megabyte, which keeps 20,000
 * runs within a few minutes on 2 cores). ISOLAB_BUFFER_STRESS_SEED replays a failure.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import type { EngineNotice } from '../../engine/client/api.ts';
import { decodeValue } from '../../engine/common/value.ts';
import { rng } from '../unit/engine/guest/buffer/random.ts';

const RUNS = Number(process.env.ISOLAB_BUFFER_STRESS_RUNS ?? 20_000);
const SEED = Number(process.env.ISOLAB_BUFFER_STRESS_SEED ?? 424_242);
const MAX_SIZE = 4 * 1024 * 1024;
const ENCODINGS = ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii', 'utf16le', 'ucs2', 'binary', 'UTF-8', 'Hex'];

/**
 * Runs unchanged in the guest and on the host: deterministic bytes from a seed, the round trip, and
 * FNV-1a hashes of the string and of the decoded bytes (so results are small to send back).
 */
const WORK_SOURCE = String.raw`function work(seed, size, enc) {
  const bytes = Buffer.allocUnsafe(size);
  let x = seed | 1;
  const text = (seed & 3) === 0;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    // A quarter of the runs get mostly-ASCII text with stray high bytes: utf8 decoding sees valid
    // and invalid sequences.
    bytes[i] = text ? ((x & 15) === 0 ? (x >>> 8) & 255 : 32 + ((x >>> 8) & 63)) : x & 255;
  }
  const s = bytes.toString(enc);
  const back = Buffer.from(s, enc);
  let hs = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) hs = Math.imul(hs ^ s.charCodeAt(i), 16777619);
  let hb = 0x811c9dc5;
  for (let i = 0; i < back.length; i++) hb = Math.imul(hb ^ back[i], 16777619);
  return [s.length, hs >>> 0, back.length, hb >>> 0];
}`;

const work = new Function(`${WORK_SOURCE}; return work;`)() as (seed: number, size: number, enc: string) => number[];

let engine: EngineClient;
const notices: EngineNotice[] = [];

beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 1 } });
  engine.onNotice((n) => notices.push(n));
});

afterAll(async () => {
  await engine?.close();
});

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

it(`${RUNS} consecutive encode/decode runs are byte-exact, crash-free and keep host RSS flat`, { timeout: 30 * 60_000 }, async () => {
  const next = rng(SEED);
  const pid = engine.hostPid;
  const samples: { run: number; rssMb: number }[] = [];
  const started = Date.now();
  let bridged = 0;
  let hostMs = 0;
  let failures: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = next();
    const size = r < 0.02 ? 0 : r < 0.03 ? MAX_SIZE : Math.min(MAX_SIZE, Math.floor(Math.exp(next() * Math.log(MAX_SIZE + 1))) - 1);
    const enc = ENCODINGS[Math.floor(next() * ENCODINGS.length)]!;
    const seed = Math.floor(next() * 2 ** 31);
    if (size >= 1024) bridged++;
    // Mostly the long-lived context (its Buffer pool and bridge callbacks live across runs), and a
    // fresh context every 16th run (install and release of the bridge callbacks, over and over).
    const pending = engine.run({ code: WORK_SOURCE, call: { name: 'work', args: [seed, size, enc] }, timeoutMs: 60_000, reuseContext: i % 16 !== 0 });
    // Host Node computes the expected result while the engine works.
    const h0 = performance.now();
    const want = work(seed, size, enc);
    hostMs += performance.now() - h0;
    const result = await pending;
    const got = result.ok ? decodeValue(result.value!) : `${result.error?.type}: ${result.error?.message}`;
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      failures.push(`run ${i} seed ${seed} size ${size} ${enc}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
      if (failures.length >= 5) break;
    }
    if (i % 500 === 0 || i === RUNS - 1) samples.push({ run: i, rssMb: rssMb(pid) });
  }
  const seconds = (Date.now() - started) / 1000;
  const warm = samples.filter((s) => s.run >= RUNS / 10);
  const first = warm[0]?.rssMb ?? NaN;
  const peak = Math.max(...warm.map((s) => s.rssMb));
  const last = samples[samples.length - 1]?.rssMb ?? NaN;
  console.log(
    `buffer stress: ${RUNS} runs in ${seconds.toFixed(0)} s (host-side checking ${(hostMs / 1000).toFixed(0)} s), ${bridged} of ${RUNS} at >= 1 KiB, host RSS after warm-up ${first.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, end ${last.toFixed(0)} MB`,
  );
  expect(failures).toEqual([]);
  expect(notices.filter((n) => n.type === 'hostExited')).toEqual([]);
  expect(engine.hostPid).toBe(pid);
  // Flat: after warm-up the host may wobble with GC and isolate recycling, but must not climb.
  expect(last - first).toBeLessThan(150);
  expect(peak - first).toBeLessThan(400);
  failures = [];
});
