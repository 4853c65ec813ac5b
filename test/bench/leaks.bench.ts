/**
 * Leak-verdict accuracy benchmark: profiles every fixture in test/fixtures/leaks through the real
 * engine (EngineClient.leak, one context, forced GC between iterations) and prints, per fixture,
 * the verdict, the fitted slope against the fixture's true growth, and how many iterations the
 * verdict needs before it stops changing; then the forced-GC time on 10 MB heaps and the targets.
 * Every profile is also explained (heap-snapshot diff): whether the top group names the fixture's
 * culprit, how long the explanation took and how large its snapshots were.
 *
 *   npm run bench:leaks [-- --json] [--iterations 40] [--repeat 1] [--only name,name]
 *                         [--record dir] [--replay dir]
 *
 * --json     human-readable output goes to stderr; stdout gets one JSON object (the last line).
 * --record   also saves each profile's samples as <dir>/<fixture>[.<repeat>].json.
 * --replay   re-judges saved samples instead of running the engine (for tuning the verdict).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LeakExplanation, LeakSample, LeakVerdict } from '../../engine/common/leak.ts';
import { describeLeakGroup, describeRetainerPath, formatBytes } from '../../engine/common/leak-words.ts';
import { splitJumps } from '../../engine/host/leak/jumps.ts';
import { robustSpread } from '../../engine/host/leak/trend.ts';
import { computeVerdict, defaultWarmupIterations } from '../../engine/host/leak/verdict.ts';
import { loadLeakFixtures, namesCulprit, type LeakFixture } from '../fixtures/leaks/catalog.ts';

/** What the bench needs from a profile, whether it came from the engine or from a recording. */
interface Profile {
  verdict: LeakVerdict;
  slopeBytesPerIteration: number;
  confidence: string;
  handleSlopes: Record<string, number>;
  warmupIterations: number;
  samples: LeakSample[];
  reasons: string[];
  stoppedBy?: { type: string; message: string };
  totalMs?: number;
  explanation?: LeakExplanation;
}

type Profiler = (fixture: LeakFixture, iterations: number, repeat: number) => Promise<Profile>;

const GC_TARGET_MS = 5;
const KB_LEAK_TARGET_ITERATIONS = 30;
const FIRST_PREFIX = 5;
const EXPLAIN_TARGET_MS = 2000;
const EXPLAIN_TARGET_HEAP_BYTES = 10 * 1024 * 1024 * 1.1;

interface ExplanationResult {
  /** The top group names the fixture's culprit (null: a clean fixture, nothing to name). */
  namedCulprit: boolean | null;
  ms: number;
  /** Characters of each snapshot's JSON. */
  snapshotBytes: number[];
  topGroup: string | null;
  incomplete?: string;
}

interface FixtureResult {
  fixture: string;
  repeat: number;
  expected: 'leak' | 'stable';
  verdict: LeakVerdict;
  confidence: string;
  correct: boolean;
  trueBytesPerIteration: number | null;
  slopeBytesPerIteration: number;
  /** Fitted slope ÷ true growth. */
  slopeRatio: number | null;
  trueHandlesPerIteration: Record<string, number>;
  handleSlopes: Record<string, number>;
  /** Smallest k such that the verdict on the first k' samples is the final one for every k' ≥ k. */
  stableFromIteration: number | null;
  /** Prefix lengths at which a clean fixture was called a leak (should be empty). */
  leakCalledAt: number[];
  /** Typical size of the per-iteration wobble after warm-up, in bytes (robust spread of differences, jumps removed). */
  jitterBytes: number;
  gcMs: { median: number; p90: number; max: number };
  heapUsedBytes: number;
  /** The engine's verdict disagrees with computeVerdict on the same samples. */
  engineMismatch: boolean;
  reasons: string[];
  stoppedBy?: string;
  explanation: ExplanationResult | null;
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function prefixVerdicts(samples: readonly LeakSample[]): { k: number; verdict: LeakVerdict }[] {
  const out: { k: number; verdict: LeakVerdict }[] = [];
  for (let k = FIRST_PREFIX; k <= samples.length; k++) out.push({ k, verdict: computeVerdict(samples.slice(0, k)).verdict });
  return out;
}

function stableFrom(prefixes: readonly { k: number; verdict: LeakVerdict }[]): number | null {
  if (prefixes.length === 0) return null;
  const final = prefixes[prefixes.length - 1]!.verdict;
  let k = prefixes[prefixes.length - 1]!.k;
  for (let i = prefixes.length - 1; i >= 0 && prefixes[i]!.verdict === final; i--) k = prefixes[i]!.k;
  return k;
}

function jitter(samples: readonly LeakSample[], warmup: number): number {
  const points = samples.slice(warmup).map((s) => ({ x: s.iteration, y: s.heapUsedBytes + s.externalBytes }));
  const { steady } = splitJumps(points);
  const diffs = steady.slice(1).map((p, i) => p.y - steady[i]!.y);
  return diffs.length > 0 ? robustSpread(diffs) : Number.NaN;
}

function judge(fixture: LeakFixture, repeat: number, profile: Profile): FixtureResult {
  const samples = [...profile.samples].sort((a, b) => a.iteration - b.iteration);
  const warmup = profile.warmupIterations;
  const prefixes = prefixVerdicts(samples);
  const local = computeVerdict(samples, { warmupIterations: warmup });
  const measured = samples.slice(warmup);
  const gc = measured.map((s) => s.gcMs);
  const truth = fixture.bytesPerIteration ?? null;
  return {
    fixture: fixture.name,
    repeat,
    expected: fixture.expected,
    verdict: profile.verdict,
    confidence: profile.confidence,
    correct: profile.verdict === fixture.expected,
    trueBytesPerIteration: truth,
    slopeBytesPerIteration: profile.slopeBytesPerIteration,
    slopeRatio: truth ? profile.slopeBytesPerIteration / truth : null,
    trueHandlesPerIteration: fixture.handlesPerIteration,
    handleSlopes: profile.handleSlopes,
    stableFromIteration: stableFrom(prefixes),
    leakCalledAt: fixture.expected === 'stable' ? prefixes.filter((p) => p.verdict === 'leak').map((p) => p.k) : [],
    jitterBytes: jitter(samples, warmup),
    gcMs: { median: quantile(gc, 0.5), p90: quantile(gc, 0.9), max: Math.max(...gc) },
    heapUsedBytes: measured.length > 0 ? measured[measured.length - 1]!.heapUsedBytes : Number.NaN,
    engineMismatch: local.verdict !== profile.verdict,
    reasons: profile.reasons,
    stoppedBy: profile.stoppedBy ? `${profile.stoppedBy.type}: ${profile.stoppedBy.message}` : undefined,
    explanation: explained(fixture, profile.explanation),
  };
}

function explained(fixture: LeakFixture, explanation: LeakExplanation | undefined): ExplanationResult | null {
  if (!explanation) return null;
  const top = explanation.groups[0];
  return {
    namedCulprit: fixture.culprit ? namesCulprit(fixture.culprit, top) : null,
    ms: explanation.ms,
    snapshotBytes: explanation.snapshotBytes,
    topGroup: top ? `${describeLeakGroup(top)} — ${describeRetainerPath(top.retainerPath)}` : null,
    ...(explanation.incomplete ? { incomplete: explanation.incomplete } : {}),
  };
}

async function engineProfiler(): Promise<{ profile: Profiler; close: () => Promise<void>; describe: string }> {
  // Imported lazily so --replay works without an engine (and the error says what is missing).
  const { EngineClient } = await import('../../engine/client/engine-client.ts');
  const engine = await EngineClient.start();
  return {
    describe: 'engine',
    profile: async (fixture, iterations) => {
      const report = await engine.leak({ code: fixture.code, filename: `${fixture.name}.js`, iterations, timeoutMs: 120_000, explain: true });
      return report;
    },
    close: () => engine.close(),
  };
}

function replayProfiler(dir: string): Profiler {
  return async (fixture, iterations, repeat) => {
    const candidates = [join(dir, `${fixture.name}.${repeat}.json`), join(dir, `${fixture.name}.json`)];
    const file = candidates.find((f) => {
      try {
        readFileSync(f);
        return true;
      } catch {
        return false;
      }
    });
    if (!file) throw new Error(`no recording for ${fixture.name} in ${dir}`);
    const recorded: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const samples = (Array.isArray(recorded) ? recorded : (recorded as { samples: LeakSample[] }).samples).slice(0, iterations) as LeakSample[];
    const warmupIterations = defaultWarmupIterations(samples.length);
    return { ...computeVerdict(samples, { warmupIterations }), samples };
  };
}

const pad = (text: string, width: number) => (text.length >= width ? text : text + ' '.repeat(width - text.length));
const padLeft = (text: string, width: number) => (text.length >= width ? text : ' '.repeat(width - text.length) + text);

function truthText(r: FixtureResult): string {
  const handles = Object.entries(r.trueHandlesPerIteration).map(([kind, n]) => `${n} ${kind}`);
  if (r.trueBytesPerIteration !== null) return formatBytes(r.trueBytesPerIteration);
  if (handles.length > 0) return handles.join(', ');
  return 'clean';
}

function table(results: readonly FixtureResult[]): string {
  const header = [
    pad('fixture', 26),
    pad('truth/run', 10),
    pad('verdict', 12),
    pad('conf', 6),
    padLeft('slope/run', 10),
    padLeft('ratio', 6),
    padLeft('handles/run', 12),
    padLeft('stable@k', 8),
    padLeft('jitter', 8),
    padLeft('gc ms', 6),
    '  ok',
  ].join(' ');
  const rows = results.map((r) =>
    [
      pad(r.fixture + (r.repeat > 0 ? `#${r.repeat + 1}` : ''), 26),
      pad(truthText(r), 10),
      pad(r.verdict, 12),
      pad(r.confidence, 6),
      padLeft(formatBytes(r.slopeBytesPerIteration), 10),
      padLeft(r.slopeRatio === null ? '–' : r.slopeRatio.toFixed(2), 6),
      padLeft(Object.entries(r.handleSlopes).map(([k, v]) => `${k} ${v}`).join(', ') || '–', 12),
      padLeft(r.stableFromIteration === null ? '–' : String(r.stableFromIteration), 8),
      padLeft(formatBytes(r.jitterBytes), 8),
      padLeft(r.gcMs.median.toFixed(2), 6),
      `  ${r.correct ? 'yes' : 'NO'}${r.engineMismatch ? ' (engine≠verdict)' : ''}${r.leakCalledAt.length > 0 ? ` (leak at k=${r.leakCalledAt.join(',')})` : ''}`,
    ].join(' '),
  );
  return [header, ...rows].join('\n');
}

function explanationTable(results: readonly FixtureResult[]): string {
  const header = [pad('fixture', 26), pad('named', 6), padLeft('explain ms', 10), padLeft('heap', 8), pad('  snapshots', 28), 'top group'].join(' ');
  const rows = results.map((r) => {
    const e = r.explanation;
    const named = !e ? '–' : e.namedCulprit === null ? 'clean' : e.namedCulprit ? 'yes' : 'NO';
    const sizes = e ? e.snapshotBytes.map((b) => formatBytes(b)).join(', ') : '–';
    return [
      pad(r.fixture + (r.repeat > 0 ? `#${r.repeat + 1}` : ''), 26),
      pad(named, 6),
      padLeft(e ? String(Math.round(e.ms)) : '–', 10),
      padLeft(formatBytes(r.heapUsedBytes), 8),
      pad(`  ${sizes}`, 28),
      e?.incomplete ? `(incomplete: ${e.incomplete})` : (e?.topGroup ?? '(nothing from user code survived)'),
    ].join(' ');
  });
  return [header, ...rows].join('\n');
}

interface Targets {
  everyFixtureRightAt40: boolean;
  kbLeaksDetectedWithin30: boolean;
  noCleanFixtureCalledLeakAt40: boolean;
  noCleanFixtureCalledLeakAtAnyPrefix: boolean;
  gcOverheadMsPer10MbHeap: number | null;
  gcOverheadWithinTarget: boolean | null;
  everyCulpritNamed: boolean | null;
  /** Slowest explanation of a profile whose heap is at most ≈ 10 MB. */
  explanationMsUpTo10Mb: number | null;
  explanationWithinTarget: boolean | null;
}

function targets(results: readonly FixtureResult[], iterations: number): Targets {
  const clean = results.filter((r) => r.expected === 'stable');
  const kbLeaks = results.filter((r) => r.expected === 'leak' && (r.trueBytesPerIteration ?? 0) >= 1024);
  const dense = results.filter((r) => r.fixture === 'clean-heap-10mb');
  const gc = dense.length > 0 ? Math.max(...dense.map((r) => r.gcMs.median)) : null;
  const leaks = results.filter((r) => r.expected === 'leak');
  const timed = results.filter((r) => r.explanation && !r.explanation.incomplete && r.heapUsedBytes <= EXPLAIN_TARGET_HEAP_BYTES).map((r) => r.explanation!.ms);
  const overBudget = results.some((r) => r.explanation?.incomplete && r.heapUsedBytes <= EXPLAIN_TARGET_HEAP_BYTES);
  const slowest = overBudget ? Number.POSITIVE_INFINITY : timed.length > 0 ? Math.max(...timed) : null;
  return {
    everyFixtureRightAt40: iterations === 40 && results.every((r) => r.correct),
    kbLeaksDetectedWithin30: kbLeaks.every((r) => r.verdict === 'leak' && (r.stableFromIteration ?? Infinity) <= KB_LEAK_TARGET_ITERATIONS),
    noCleanFixtureCalledLeakAt40: clean.every((r) => r.verdict !== 'leak'),
    noCleanFixtureCalledLeakAtAnyPrefix: clean.every((r) => r.leakCalledAt.length === 0),
    gcOverheadMsPer10MbHeap: gc,
    gcOverheadWithinTarget: gc === null ? null : gc <= GC_TARGET_MS,
    everyCulpritNamed: leaks.some((r) => r.explanation) ? leaks.every((r) => r.explanation?.namedCulprit === true) : null,
    explanationMsUpTo10Mb: slowest,
    explanationWithinTarget: slowest === null ? null : slowest <= EXPLAIN_TARGET_MS,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      iterations: { type: 'string', default: '40' },
      repeat: { type: 'string', default: '1' },
      only: { type: 'string' },
      record: { type: 'string' },
      replay: { type: 'string' },
    },
  });
  const iterations = Number(values.iterations);
  const repeats = Math.max(1, Number(values.repeat));
  const only = values.only?.split(',');
  const log = values.json ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => process.stdout.write(`${line}\n`);
  const fixtures = loadLeakFixtures().filter((f) => !only || only.includes(f.name));

  const source = values.replay ? { describe: `replay of ${values.replay}`, profile: replayProfiler(values.replay), close: async () => {} } : await engineProfiler();
  if (values.record) mkdirSync(values.record, { recursive: true });
  const started = performance.now();
  const results: FixtureResult[] = [];
  try {
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const fixture of fixtures) {
        const profile = await source.profile(fixture, iterations, repeat);
        if (values.record) {
          const name = repeats > 1 ? `${fixture.name}.${repeat}.json` : `${fixture.name}.json`;
          writeFileSync(join(values.record, name), JSON.stringify({ ...profile, fixture: fixture.name }));
        }
        const result = judge(fixture, repeat, profile);
        results.push(result);
        log(`${result.fixture}${repeats > 1 ? ` #${repeat + 1}` : ''}: ${result.verdict} (${result.confidence}), ${formatBytes(result.slopeBytesPerIteration)}/run`);
      }
    }
  } finally {
    await source.close();
  }

  const summary = targets(results, iterations);
  log('');
  log(`Leak verdict accuracy: ${fixtures.length} fixtures × ${repeats}, ${iterations} iterations each, source: ${source.describe}, Node ${process.versions.node}`);
  log(table(results));
  log('');
  const heapGc = results.filter((r) => r.fixture.startsWith('clean-heap-10mb'));
  for (const r of heapGc) {
    log(`forced GC, ${r.fixture} (${formatBytes(r.heapUsedBytes)} live): median ${r.gcMs.median.toFixed(2)} ms, p90 ${r.gcMs.p90.toFixed(2)} ms, max ${r.gcMs.max.toFixed(2)} ms per iteration`);
  }
  const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');
  log(`every fixture right at 40 iterations: ${mark(summary.everyFixtureRightAt40)}`);
  log(`≥ 1 KB/run leaks detected (stable verdict) within ${KB_LEAK_TARGET_ITERATIONS} iterations: ${mark(summary.kbLeaksDetectedWithin30)}`);
  log(`no clean fixture called leak at 40 iterations: ${mark(summary.noCleanFixtureCalledLeakAt40)}; at any prefix k = ${FIRST_PREFIX}..${iterations}: ${mark(summary.noCleanFixtureCalledLeakAtAnyPrefix)}`);
  log(`forced GC ≤ ${GC_TARGET_MS} ms per iteration on a 10 MB heap (clean-heap-10mb, median): ${mark(summary.gcOverheadWithinTarget)}${summary.gcOverheadMsPer10MbHeap === null ? '' : ` (${summary.gcOverheadMsPer10MbHeap.toFixed(2)} ms)`}`);
  log('');
  log(explanationTable(results));
  log(`every leaking fixture's culprit named by the explanation's top group: ${mark(summary.everyCulpritNamed)}`);
  log(`explanation ≤ ${EXPLAIN_TARGET_MS / 1000} s for heaps up to 10 MB: ${mark(summary.explanationWithinTarget)}${summary.explanationMsUpTo10Mb === null ? '' : ` (slowest ${Number.isFinite(summary.explanationMsUpTo10Mb) ? `${Math.round(summary.explanationMsUpTo10Mb)} ms` : 'over its snapshot budget'})`}`);
  log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ iterations, repeats, source: source.describe, node: process.versions.node, targets: summary, results })}\n`);
  }
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:leaks failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
