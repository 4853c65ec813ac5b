/**
 * `npm run bench:modules [-- --workspace DIR] [-- --json]`: what imports cost. A script importing a
 * mid-sized package (lodash-es, ~640 modules; date-fns too) is run
 * - cold: bundled afresh each time (its text changes by a comment, so the cache misses);
 * - warm: the same text again, the bundle from the cache (checked against the files it read);
 * - without imports: the same work written inline, the plain-script path;
 * and the median of each is printed (total run time as the RunResult says, and bundling time).
 * Without --workspace it makes a temporary one and installs the packages with npm (needs the
 * registry; install scripts off).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineClient } from '../../engine/client/engine-client.ts';
import type { RunRequest, RunResult } from '../../engine/common/contract.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const given = args.includes('--workspace') ? args[args.indexOf('--workspace') + 1] : undefined;
const SAMPLES = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (text: string) => (json ? process.stderr : process.stdout).write(text + '\n');

const SCRIPTS: Record<string, { imports: string; inline: string }> = {
  'lodash-es': {
    imports: "import { chunk, sortBy, uniq } from 'lodash-es';\nconst xs = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 101);\n[chunk(uniq(xs), 10).length, sortBy(xs)[500]]",
    inline:
      'const xs = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 101);\nconst u = [...new Set(xs)];\nconst chunks = [];\nfor (let i = 0; i < u.length; i += 10) chunks.push(u.slice(i, i + 10));\n[chunks.length, [...xs].sort((a, b) => a - b)[500]]',
  },
  'date-fns': {
    imports: "import { addDays, format } from 'date-fns';\nformat(addDays(new Date(2020, 0, 1), 40), 'yyyy-MM-dd')",
    inline: "const d = new Date(2020, 0, 1);\nd.setDate(d.getDate() + 40);\n`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`",
  },
};

async function timed(engine: EngineClient, request: RunRequest): Promise<RunResult> {
  const r = await engine.run(request);
  if (!r.ok) throw new Error(`${request.filename}: ${r.error?.type}: ${r.error?.message}`);
  return r;
}

async function measure(engine: EngineClient, dir: string, name: string): Promise<Record<string, number>> {
  const { imports, inline } = SCRIPTS[name]!;
  const base: RunRequest = { code: imports, filename: `${name}.js`, modules: { dir, root: dir } };
  const first = await timed(engine, { ...base, code: `// first\n${imports}` });
  const cold: RunResult[] = [];
  for (let i = 0; i < SAMPLES; i++) cold.push(await timed(engine, { ...base, code: `// cold ${i}\n${imports}` }));
  await timed(engine, base);
  const warm: RunResult[] = [];
  for (let i = 0; i < SAMPLES; i++) warm.push(await timed(engine, base));
  if (!warm.every((r) => r.bundle?.cached)) throw new Error('warm runs were not served from the cache');
  const plain: RunResult[] = [];
  for (let i = 0; i < SAMPLES; i++) plain.push(await timed(engine, { code: inline, filename: `${name}-inline.js` }));
  return {
    files: first.bundle!.files,
    bundleKB: Math.round(first.bundle!.bytes / 1024),
    firstTotalMs: first.timing.totalMs,
    coldTotalMs: median(cold.map((r) => r.timing.totalMs)),
    coldBundleMs: median(cold.map((r) => r.bundle!.ms)),
    warmTotalMs: median(warm.map((r) => r.timing.totalMs)),
    warmCheckMs: median(warm.map((r) => r.bundle!.ms)),
    noImportTotalMs: median(plain.map((r) => r.timing.totalMs)),
  };
}

async function main(): Promise<void> {
  const dir = given ?? mkdtempSync(join(tmpdir(), 'isolab-bench-modules-'));
  if (!given) {
    log(`installing ${Object.keys(SCRIPTS).join(', ')} into ${dir} (npm, install scripts off)…`);
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...Object.keys(SCRIPTS)], { cwd: dir, stdio: 'ignore' });
  }
  const engine = await EngineClient.start({ host: { poolSize: 1 } });
  const results: Record<string, Record<string, number>> = {};
  try {
    for (const name of Object.keys(SCRIPTS)) results[name] = await measure(engine, dir, name);
  } finally {
    await engine.close();
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
  for (const [name, r] of Object.entries(results)) {
    log(`${name}: ${r.files} files, bundle ${r.bundleKB} KB`);
    log(`  first run in a new host   ${r.firstTotalMs!.toFixed(1)} ms (esbuild's service starts)`);
    log(`  cold (bundled)            ${r.coldTotalMs!.toFixed(1)} ms total, ${r.coldBundleMs!.toFixed(1)} ms bundling`);
    log(`  warm (cached)             ${r.warmTotalMs!.toFixed(1)} ms total, ${r.warmCheckMs!.toFixed(2)} ms checking the cache`);
    log(`  same work, no import      ${r.noImportTotalMs!.toFixed(1)} ms total`);
  }
  if (json) process.stdout.write(JSON.stringify(results) + '\n');
}

await main();
