/**
 * `npm run bench:live [-- --json] [-- --rounds N]`: what recording inline values and coverage
 * costs. Each script runs plain and instrumented (values + coverage) side by side through one
 * engine, alternating, and the medians are compared; also what a run on a dedicated
 * inspector-enabled isolate costs (what V8 precise coverage would need) against a pooled one.
 */
import { EngineClient } from '../../engine/client/engine-client.ts';
import type { RunRequest } from '../../engine/common/contract.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 3;
const SAMPLES = 30;

const SCRIPTS: Record<string, string> = {
  trivial: 'const a = 6 * 7\na',
  loop: 'let s = 0\nfor (let i = 0; i < 1e6; i++) {\n  s += i % 7\n}\ns',
  probeInLoop: 'let s = 0\nfor (let i = 0; i < 1e5; i++) {\n  s += i % 7 //?\n}\ns',
  objects: 'const xs = []\nfor (let i = 0; i < 2e4; i++) xs.push({ i, sq: i * i, s: String(i) })\nconst m = new Map(xs.map((x) => [x.s, x]))\nxs.filter((x) => x.i % 3 === 0).length',
  logs: 'for (let i = 0; i < 500; i++) {\n  console.log("line", i, { i })\n}\n"done"',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (text: string) => (json ? process.stderr : process.stdout).write(text + '\n');

async function timed(engine: EngineClient, request: RunRequest): Promise<{ totalMs: number; executionMs: number }> {
  const r = await engine.run(request);
  if (!r.ok) throw new Error(`bench script failed: ${r.error?.type}: ${r.error?.message}`);
  return { totalMs: r.timing.totalMs, executionMs: r.timing.executionMs };
}

async function main(): Promise<void> {
  const engine = await EngineClient.start({ host: { poolSize: 1 } });
  const out: Record<string, unknown> = {};
  try {
    for (const [name, code] of Object.entries(SCRIPTS)) {
      const plain: number[] = [];
      const recorded: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < SAMPLES; i++) {
          plain.push((await timed(engine, { code })).executionMs);
          recorded.push((await timed(engine, { code, record: { values: true, coverage: true } })).executionMs);
        }
      }
      const p = median(plain);
      const r = median(recorded);
      out[name] = { plainMs: p, recordedMs: r, ratio: r / p };
      log(`${name.padEnd(12)} plain ${p.toFixed(2)} ms · recorded ${r.toFixed(2)} ms · ×${(r / p).toFixed(2)} (median execution time, ${ROUNDS * SAMPLES} runs each)`);
    }
    const pooled: number[] = [];
    const dedicated: number[] = [];
    for (let i = 0; i < 15 * ROUNDS; i++) {
      pooled.push((await timed(engine, { code: SCRIPTS.trivial! })).totalMs);
      dedicated.push((await timed(engine, { code: SCRIPTS.trivial!, profile: {} })).totalMs);
    }
    out.inspectorLease = { pooledTotalMs: median(pooled), dedicatedTotalMs: median(dedicated) };
    log(`trivial run, total: pooled context ${median(pooled).toFixed(1)} ms · dedicated inspector isolate (as precise coverage needs) ${median(dedicated).toFixed(1)} ms`);
  } finally {
    await engine.close();
  }
  if (json) process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
