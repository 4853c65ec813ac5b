/**
 * `npm run bench:soak [-- --minutes 3 --runs N --concurrency 12 --sample-seconds 5 --json]`: a real
 * `isolab serve` on loopback, driven through its JSON API with a mixed workload (quick runs,
 * TypeScript, reused contexts, console floods, timeouts, memory-limit runs, Buffer work, syntax
 * and thrown errors, calls, leak profiles, and cancels by hanging up) for a bounded time and count.
 * Every answer is checked against what it must be. Reports runs, wrong and lost answers, HTTP
 * errors, engine host restarts, and the host's RSS (start, peak, end, and a Theil–Sen slope per
 * minute over the whole run and over its second half). With --json the last stdout line is one
 * JSON object. The environment passes through to the server and its engine host, so
 * `MALLOC_ARENA_MAX=8 npm run bench:soak` measures another glibc setting than the host's default.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { trend } from '../../engine/host/leak/trend.ts';
import { startServe, type Served } from '../e2e/support/serve.ts';

const MiB = 1024 * 1024;
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    runs: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '12' },
    'sample-seconds': { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const MAX_RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);
const SAMPLE_MS = Number(values['sample-seconds']) * 1000;
for (const [name, n] of Object.entries({ minutes: MINUTES, runs: MAX_RUNS, concurrency: CONCURRENCY, 'sample-seconds': SAMPLE_MS })) {
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
}
const log = values.json ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => process.stdout.write(`${line}\n`);

interface Answer {
  status: number;
  body: any;
}

/** One kind of work: what to send, and what the answer must be (null when it is right). */
interface Kind {
  name: string;
  weight: number;
  make(n: number): { path: string; body: unknown; hangUpAfterMs?: number; check(answer: Answer): string | null };
}

const int = (n: number, mod: number) => (n * 2654435761) % mod;
const okValue = (expected: unknown) => (a: Answer) =>
  a.body.ok === true && JSON.stringify(a.body.value) === JSON.stringify(expected) ? null : `expected ${JSON.stringify(expected)}, got ${brief(a.body)}`;
const errorType = (type: string) => (a: Answer) => (a.body.ok === false && a.body.error?.type === type ? null : `expected ${type}, got ${brief(a.body)}`);

function brief(body: any): string {
  const text = JSON.stringify(body.ok ? { ok: true, value: body.value } : body.error ? { ok: false, error: { type: body.error.type, message: body.error.message } } : body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

const LEAKY = "globalThis.log ??= ''; const c = new Array(10192).fill('.'); c[0] = String(log.length % 10); log += c.join(''); return log.length";

const KINDS: Kind[] = [
  {
    name: 'quick',
    weight: 30,
    make: (n) => {
      const a = int(n, 1000);
      return {
        path: '/api/run',
        body: { code: `const x = ${a}; console.log('x', x); return x * 7` },
        check: (r) => okValue(a * 7)(r) ?? (r.body.logs?.[0]?.text === `x ${a}` ? null : `expected log "x ${a}", got ${JSON.stringify(r.body.logs?.[0])}`),
      };
    },
  },
  { name: 'typescript', weight: 8, make: (n) => ({ path: '/api/run', body: { code: `const n: number = ${int(n, 997)}; return n + 1`, language: 'typescript' }, check: okValue(int(n, 997) + 1) }) },
  { name: 'reuseContext', weight: 6, make: (n) => ({ path: '/api/run', body: { code: `globalThis.count = (globalThis.count ?? 0) + 1; return ${int(n, 991)}`, reuseContext: true }, check: okValue(int(n, 991)) }) },
  {
    name: 'consoleFlood',
    weight: 5,
    make: () => ({
      path: '/api/run',
      body: { code: "for (let i = 0; i < 20000; i++) console.log('line', i); return 'flood'" },
      check: (r) =>
        okValue('flood')(r) ?? (r.body.logs.length === 20_000 && r.body.logs[19_999].text === 'line 19999' && !r.body.logsTruncated ? null : `expected 20000 lines, got ${r.body.logs.length}`),
    }),
  },
  { name: 'syncTimeout', weight: 5, make: () => ({ path: '/api/run', body: { code: 'while (true) {}', timeoutMs: 200 }, check: errorType('TimeoutError') }) },
  { name: 'asyncTimeout', weight: 4, make: () => ({ path: '/api/run', body: { code: 'await new Promise(() => {})', timeoutMs: 200 }, check: errorType('TimeoutError') }) },
  {
    name: 'memoryLimit',
    weight: 4,
    make: () => ({ path: '/api/run', body: { code: 'const a = []; for (;;) a.push("x".repeat(10000) + Math.random())', memoryLimitMb: 32, timeoutMs: 30_000 }, check: errorType('MemoryLimitError') }),
  },
  {
    name: 'buffer',
    weight: 8,
    make: (n) => {
      const text = `héllo ${n} `.repeat(200);
      const b = Buffer.from(text);
      return {
        path: '/api/run',
        body: { code: `const b = Buffer.from(${JSON.stringify(text)}); return [b.toString('base64'), b.toString('hex').length, Buffer.concat([b, b]).length, b.readUInt32LE(0)]` },
        check: okValue([b.toString('base64'), b.toString('hex').length, b.length * 2, b.readUInt32LE(0)]),
      };
    },
  },
  { name: 'syntaxError', weight: 3, make: (n) => ({ path: '/api/run', body: { code: `return (${n}` }, check: errorType('SyntaxError') }) },
  {
    name: 'thrown',
    weight: 3,
    make: (n) => ({ path: '/api/run', body: { code: `throw new TypeError('bad ${n}')` }, check: (r) => errorType('TypeError')(r) ?? (r.body.error.message === `bad ${n}` ? null : `message ${r.body.error.message}`) }),
  },
  { name: 'call', weight: 10, make: (n) => ({ path: '/api/call', body: { code: 'function mul(a, b) { return a * b }', name: 'mul', args: [int(n, 100), 3] }, check: okValue(int(n, 100) * 3) }) },
  {
    name: 'leakProfile',
    weight: 2,
    make: () => ({
      path: '/api/leak',
      body: { code: LEAKY, iterations: 15 },
      check: (r) => (r.body.verdict === 'leak' && r.body.completed === 15 && !r.body.stoppedBy ? null : `expected a leak over 15 iterations, got ${r.body.verdict} (${r.body.completed}, ${r.body.stoppedBy?.type ?? 'not stopped'})`),
    }),
  },
  {
    name: 'cleanProfile',
    weight: 2,
    make: (n) => ({
      path: '/api/leak',
      body: { code: `const t = new Array(100).fill(${n}); t.length`, iterations: 15 },
      check: (r) => (r.body.verdict !== 'leak' && r.body.completed === 15 && !r.body.stoppedBy ? null : `expected no leak over 15 iterations, got ${r.body.verdict} (${r.body.completed})`),
    }),
  },
  // Hanging up cancels the run: an endless loop with a long deadline must not keep its isolate.
  { name: 'cancel', weight: 4, make: (n) => ({ path: '/api/run', body: { code: 'while (true) {}', timeoutMs: 60_000 }, hangUpAfterMs: 100 + (n % 200), check: () => null }) },
];

interface Tally {
  runs: number;
  wrong: number;
  lost: number;
  httpErrors: number;
}
const tallies = new Map(KINDS.map((k) => [k.name, { runs: 0, wrong: 0, lost: 0, httpErrors: 0 } satisfies Tally]));
const examples: string[] = [];
const note = (text: string) => {
  if (examples.length < 10) examples.push(text);
};

const totalWeight = KINDS.reduce((s, k) => s + k.weight, 0);
function pick(n: number): Kind {
  let r = int(n, totalWeight);
  for (const k of KINDS) {
    if (r < k.weight) return k;
    r -= k.weight;
  }
  return KINDS[0]!;
}

/** MALLOC_ARENA_MAX as the engine host got it (the launcher may default it), where /proc says. */
function hostArenaMax(pid: number | null | undefined): string | null {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith('MALLOC_ARENA_MAX='));
    return entry?.slice('MALLOC_ARENA_MAX='.length) ?? 'unset';
  } catch {
    return process.env.MALLOC_ARENA_MAX ?? null;
  }
}

async function health(served: Served): Promise<any> {
  const res = await fetch(`${served.origin}/api/health`, { headers: { Authorization: `Bearer ${served.token}` }, signal: AbortSignal.timeout(10_000) });
  return res.json();
}

async function one(served: Served, n: number): Promise<void> {
  const kind = pick(n);
  const work = kind.make(n);
  const tally = tallies.get(kind.name)!;
  tally.runs++;
  const body = work.body as { timeoutMs?: number; iterations?: number };
  const controller = new AbortController();
  const hangUp = work.hangUpAfterMs !== undefined ? setTimeout(() => controller.abort(), work.hangUpAfterMs) : undefined;
  // An answer later than its deadline (times the iterations) plus a minute is lost.
  const watchdog = setTimeout(() => controller.abort(new Error('no answer in time')), (body.timeoutMs ?? 10_000) * (body.iterations ?? 1) + 60_000);
  try {
    const res = await fetch(`${served.origin}${work.path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(work.body),
      signal: controller.signal,
    });
    const answer = { status: res.status, body: await res.json() };
    if (answer.status !== 200) {
      tally.httpErrors++;
      note(`${kind.name} #${n}: HTTP ${answer.status} ${brief(answer.body)}`);
      return;
    }
    const wrong = work.check(answer);
    if (wrong) {
      tally.wrong++;
      note(`${kind.name} #${n}: ${wrong}`);
    }
  } catch (error) {
    if (work.hangUpAfterMs !== undefined && controller.signal.reason?.name === 'AbortError') return;
    tally.lost++;
    note(`${kind.name} #${n}: no answer (${(error as Error).message})`);
  } finally {
    clearTimeout(hangUp);
    clearTimeout(watchdog);
  }
}

interface Sample {
  minutes: number;
  rssMb: number;
  /** The host's own V8 heap (not the isolates'); null from an engine that does not report it. */
  heapMb: number | null;
}

type Mb = number | null;

/**
 * The --json line. Its field names are stable (scripts compare runs of different commits): a field
 * this engine cannot measure is null, never missing, and every kind is always in byKind.
 */
interface SoakReport {
  minutes: number;
  concurrency: number;
  runs: number;
  runsPerSecond: number;
  wrong: number;
  lost: number;
  httpErrors: number;
  restarts: number;
  hostPidChanged: boolean;
  cancelsSent: number;
  cancelsSeenByHost: number | null;
  isolatesReplaced: number | null;
  hostRssMb: { start: Mb; peak: Mb; end: Mb; slopePerMinute: Mb; slopePerMinuteSecondHalf: Mb };
  hostHeapMb: { start: Mb; peak: Mb; end: Mb };
  byKind: Record<string, Tally>;
  mallocArenaMax: string | null;
}

async function main(): Promise<void> {
  const rendererDir = mkdtempSync(join(tmpdir(), 'isolab-soak-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Isolab</title>');
  const served = await startServe({ rendererDir });
  const samples: Sample[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const first = await health(served);
    const started = performance.now();
    const elapsedMin = () => (performance.now() - started) / 60_000;
    const sample = async () => {
      const h = await health(served).catch(() => null);
      const pool = h?.status?.pool;
      if (pool) samples.push({ minutes: elapsedMin(), rssMb: pool.rssBytes / MiB, heapMb: typeof pool.hostHeapBytes === 'number' ? pool.hostHeapBytes / MiB : null });
    };
    await sample();
    log(`isolab bench:soak — ${MINUTES} min or ${MAX_RUNS} runs, ${CONCURRENCY} in flight, pool ${first.pool?.size} isolates, node ${first.versions?.node}, host pid ${first.hostPid}, host MALLOC_ARENA_MAX=${hostArenaMax(first.hostPid) ?? 'unknown'}`);
    let issued = 0;
    let lastReport = 0;
    sampler = setInterval(() => {
      void sample().then(() => {
        const last = samples.at(-1);
        if (last && last.minutes - lastReport >= 1) {
          lastReport = Math.floor(last.minutes);
          log(`  ${last.minutes.toFixed(1)} min: ${issued} runs, host RSS ${last.rssMb.toFixed(0)} MB, host heap ${last.heapMb === null ? 'n/a' : `${last.heapMb.toFixed(0)} MB`}`);
        }
      });
    }, SAMPLE_MS);

    const deadline = started + MINUTES * 60_000;
    const worker = async () => {
      while (issued < MAX_RUNS && performance.now() < deadline) await one(served, issued++);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    clearInterval(sampler);
    await sample();
    const last = await health(served);
    report(first, last, samples, elapsedMin());
    if (last.restarts !== first.restarts) log(`server stderr:\n${served.stderr().split('\n').slice(-20).join('\n')}`);
  } finally {
    clearInterval(sampler);
    await served.stop();
    rmSync(rendererDir, { recursive: true, force: true });
  }
}

function report(first: any, last: any, samples: Sample[], minutes: number): void {
  const sum = (key: keyof Tally) => [...tallies.values()].reduce((s, t) => s + t[key], 0);
  const rss = samples.map((s) => s.rssMb);
  const half = samples.filter((s) => s.minutes >= minutes / 2);
  const slope = (points: Sample[]) => trend(points.map((s) => ({ x: s.minutes, y: s.rssMb }))).slope;
  const cancelsSent = tallies.get('cancel')!.runs;
  const restarts = last.restarts - first.restarts;
  const heap = samples.flatMap((s) => (s.heapMb === null ? [] : [s.heapMb]));
  const result: SoakReport = {
    minutes: Number(minutes.toFixed(2)),
    concurrency: CONCURRENCY,
    runs: sum('runs'),
    runsPerSecond: Number((sum('runs') / (minutes * 60)).toFixed(1)),
    wrong: sum('wrong'),
    lost: sum('lost'),
    httpErrors: sum('httpErrors'),
    restarts,
    hostPidChanged: last.hostPid !== first.hostPid,
    cancelsSent,
    // A new host counts from zero.
    cancelsSeenByHost: restarts === 0 ? last.interrupts.cancels - first.interrupts.cancels : null,
    isolatesReplaced: last.status?.pool?.isolatesReplaced ?? null,
    hostRssMb: {
      start: round(rss[0]),
      peak: round(Math.max(...rss)),
      end: round(rss.at(-1)),
      slopePerMinute: round(slope(samples), 2),
      slopePerMinuteSecondHalf: round(slope(half), 2),
    },
    hostHeapMb: { start: round(heap[0]), peak: round(heap.length ? Math.max(...heap) : undefined), end: round(heap.at(-1)) },
    byKind: Object.fromEntries(tallies),
    // The host's, read while it runs: a restarted host has the same environment.
    mallocArenaMax: hostArenaMax(last.hostPid),
  };
  log('');
  log('kind            runs   wrong  lost  http');
  for (const [name, t] of tallies) log(`${name.padEnd(14)} ${String(t.runs).padStart(6)} ${String(t.wrong).padStart(6)} ${String(t.lost).padStart(5)} ${String(t.httpErrors).padStart(5)}`);
  log('');
  log(`runs ${result.runs} in ${minutes.toFixed(1)} min (${result.runsPerSecond}/s, ${CONCURRENCY} in flight): wrong ${result.wrong}, lost ${result.lost}, HTTP errors ${result.httpErrors}, engine restarts ${result.restarts}`);
  log(`cancels: ${cancelsSent} hang-ups, ${result.cancelsSeenByHost ?? 'n/a (the host restarted)'} cancelled by the host; isolates replaced: ${result.isolatesReplaced}`);
  const r = result.hostRssMb;
  log(`host RSS: start ${r.start} MB, peak ${r.peak} MB, end ${r.end} MB; slope ${r.slopePerMinute} MB/min (second half ${r.slopePerMinuteSecondHalf} MB/min), ${samples.length} samples`);
  const h = result.hostHeapMb;
  log(h.peak === null ? 'host heap: not reported by this engine' : `host heap (its own V8 heap): start ${h.start} MB, peak ${h.peak} MB, end ${h.end} MB`);
  for (const example of examples) log(`  ! ${example}`);
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

function round(n: number | undefined, digits = 1): Mb {
  return n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
