/**
 * The guest code (engine/guest) as one script, evaluated in every new context. Bundled with esbuild
 * and cached on disk (.isolab-cache/); a packaged app ships the prebuilt text instead
 * (ISOLAB_GUEST_BUNDLE points at it).
 */
import { version as esbuildVersion } from 'esbuild';
import { createHash } from 'node:crypto';
import ivm from 'isolated-vm';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGuestSource, GUEST_DIR } from './guest-source.ts';
import { GUEST_FILENAME, INSTALL_GLOBAL, type GuestConfig, type GuestRunRequest, type HostCalls } from '../common/guest-abi.ts';

export { GUEST_FILENAME };

let cached: string | undefined;

/** Stand-ins for the host calls while the snapshot is made (JavaScript source, one per ABI call). */
const WARMUP_HOST: Record<keyof HostCalls, string> = {
  log: '() => {}',
  timerSet: '() => {}',
  timerClear: '() => {}',
  now: '() => 0',
  encode: "() => ''",
  decode: '() => new ArrayBuffer(0)',
};
const WARMUP_CONFIG: GuestConfig = { maxLogLines: 100, maxLogBytes: 100_000, maxTimers: 10 };
const WARMUP_REQUEST: GuestRunRequest = { startMs: 0, keepFunctions: false };

/**
 * Exercised once while the snapshot is made, so the code a run always goes through (install, run,
 * serialize, console) is compiled in the snapshot instead of lazily in every new context.
 * Everything it does happens in a throwaway context; the snapshot keeps only the compiled code.
 */
const WARMUP = `(() => {
  const host = { ${Object.entries(WARMUP_HOST).map(([name, source]) => `${name}: ${source}`).join(', ')} };
  const entry = globalThis[${JSON.stringify(INSTALL_GLOBAL)}]({ host, config: ${JSON.stringify(WARMUP_CONFIG)} });
  entry('run', function () {
    console.log('warm %s', 1, { a: [1, 'b'] }, new Map([[1, 2]]));
    return { n: 1, s: 'x', list: [1, 2, 3], nested: { d: new Date(0), u: undefined, big: 1n } };
  }, ${JSON.stringify(WARMUP_REQUEST)});
  entry('endTimers');
})()`;
let snapshot: ivm.ExternalCopy<ArrayBuffer> | null | undefined;

/**
 * The guest bundle evaluated once into a V8 startup snapshot: isolates created from it start every
 * new context with the sandbox's globals already built (measured: a context ready in 0.7 ms
 * instead of 1.0 ms). Null when V8 cannot snapshot the bundle; contexts then evaluate it each time.
 */
export function guestSnapshot(): ivm.ExternalCopy<ArrayBuffer> | null {
  if (snapshot !== undefined) return snapshot;
  try {
    snapshot = ivm.Isolate.createSnapshot([{ code: guestBundle(), filename: GUEST_FILENAME }], WARMUP);
  } catch (error) {
    process.stderr.write(`isolab engine host: guest snapshot failed, evaluating the guest per context instead: ${(error as Error).message}\n`);
    snapshot = null;
  }
  return snapshot;
}

export function guestBundle(): string {
  if (cached !== undefined) return cached;
  const prebuilt = process.env.ISOLAB_GUEST_BUNDLE;
  cached = prebuilt ? readFileSync(prebuilt, 'utf8') : cachedBuild();
  return cached;
}

const ABI_FILE = fileURLToPath(new URL('../common/guest-abi.ts', import.meta.url));
const CACHE_DIR = fileURLToPath(new URL('../../.isolab-cache/', import.meta.url));

/**
 * Bundling takes 0.2–0.6 s of every host start (esbuild's own process starts first), so the result
 * is kept on disk under a hash of everything that goes into it; reading the sources to hash them
 * costs a few ms. A cache that cannot be read or written is simply not used.
 */
function cachedBuild(): string {
  const file = join(CACHE_DIR, `guest-${sourceHash()}.js`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    /* not built yet */
  }
  const text = buildGuestSource();
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch {
    /* a read-only checkout still works, only slower to start */
  }
  return text;
}

function sourceHash(): string {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  const files = readdirSync(GUEST_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(GUEST_DIR, f));
  for (const path of [...files, ABI_FILE]) hash.update(`${path}\n`).update(readFileSync(path));
  return hash.digest('hex').slice(0, 24);
}

