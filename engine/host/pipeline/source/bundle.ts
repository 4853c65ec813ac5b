/**
 * Bundles a module script with esbuild, in the engine host, before the run: one ES module text
 * with every import inlined (dynamic `import()` included), its source map, and the list of files
 * read. Bundling has its own limits (time, files read, output size) and never runs package code.
 * Failures come back as the user's RunError, at the file, line and column of the import or the
 * syntax error: `ImportError` (cannot be found, or refused), `SyntaxError`, `BundleLimitError`.
 */
import { context, type BuildFailure, type BuildOptions, type Loader, type Message } from 'esbuild';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../../common/clock.ts';
import { MAX_SOURCE_BYTES, type Language, type ModuleScope, type RunError } from '../../../common/contract.ts';
import { formatBytes } from '../../../common/units.ts';
import { mapColumn, type Insertion } from '../../wrap.ts';
import { BundleLimitError, isInside, LoadRefusal, modulesPlugin, notFoundMessage, type BundleInput, type ReadLimits, type RefusalDetail } from './plugins.ts';

export interface BundleLimits extends ReadLimits {
  /** Wall-clock time bundling may take, in ms. */
  timeoutMs: number;
  /** Largest bundle, in bytes of UTF-8. */
  maxOutputBytes: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  timeoutMs: 10_000,
  maxOutputBytes: MAX_SOURCE_BYTES,
  maxFiles: 10_000,
  maxFileBytes: MAX_SOURCE_BYTES,
  maxInputBytes: 64 * 1024 * 1024,
};

export interface BundleRequest {
  /** The script's text, as edited for bundling (entry.ts). */
  code: string;
  insertions: Insertion[];
  language: Language | undefined;
  /** The script's name; in a module scope, its file (relative to `modules.dir`). */
  filename: string;
  modules: ModuleScope | undefined;
}

export type BundleOutcome =
  | {
      ok: true;
      js: string;
      map: string;
      /** Files read (the script's own text is the request's, not a file). */
      inputs: BundleInput[];
      /** The script's own file as the source map names it. */
      entrySource: string;
      /** Real path of the folder the script's imports resolved from (none without a module scope). */
      scriptDir: string | undefined;
    }
  | { ok: false; error: RunError };

interface Scope {
  root: string | undefined;
  entryPath: string;
  entrySource: string;
  resolveDir: string | undefined;
}

/**
 * A script named by its file:// URL (the CLI's --inspect and --cpu-prof, so that DevTools opens the
 * file itself), at its folder's real path as the scope's are.
 */
async function realFileOf(url: string): Promise<string> {
  const path = fileURLToPath(url);
  return join(await realpath(dirname(path)).catch(() => dirname(path)), basename(path));
}

/** Real paths of the scope; the script's file must be inside the root. */
async function scopeOf(request: BundleRequest): Promise<Scope | RunError> {
  if (!request.modules) return { root: undefined, entryPath: request.filename, entrySource: `isolab-entry:${request.filename}`, resolveDir: undefined };
  let root: string;
  let dir: string;
  try {
    [root, dir] = await Promise.all([realpath(request.modules.root), realpath(request.modules.dir)]);
  } catch (error) {
    return { type: 'ImportError', message: `The script's folder cannot be read: ${(error as Error).message}` };
  }
  const entryPath = request.filename.startsWith('file:') ? await realFileOf(request.filename) : resolve(dir, request.filename);
  if (!isInside(root, entryPath)) return { type: 'ImportError', message: `The script ${entryPath} is outside its module root ${root}` };
  // The script's own folder, should its name have one (`sub/x.js`): its relative imports start there.
  return { root, entryPath, entrySource: relative(root, entryPath).split(sep).join('/'), resolveDir: dirname(entryPath) };
}

function buildOptions(request: BundleRequest, scope: Scope, limits: BundleLimits, inputs: BundleInput[], strict: boolean): BuildOptions {
  const workingDir = scope.root ?? process.cwd();
  return {
    entryPoints: [scope.entryPath],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'esnext',
    write: false,
    outfile: join(workingDir, 'isolab-bundle.js'),
    absWorkingDir: workingDir,
    sourcemap: 'external',
    sourcesContent: false,
    metafile: false,
    logLevel: 'silent',
    legalComments: 'none',
    // Only the script's folder decides: no tsconfig.json (here or above it) changes resolution.
    tsconfigRaw: {},
    // `import.meta` becomes an empty object: the sandbox has no URL for a module.
    supported: { 'import-meta': false },
    plugins: [
      modulesPlugin({
        strict,
        entry: {
          path: scope.entryPath,
          namespace: scope.root ? 'file' : 'isolab-entry',
          contents: request.code,
          loader: (request.language === 'typescript' ? 'ts' : 'js') satisfies Loader,
          ...(scope.resolveDir ? { resolveDir: scope.resolveDir } : {}),
        },
        root: scope.root,
        limits,
        inputs,
      }),
    ],
  };
}

export interface BundleOptions {
  clock: Clock;
  limits?: BundleLimits;
  /** Aborts bundling (the run was cancelled). */
  signal?: AbortSignal;
}

const CANCELLED: BundleOutcome = { ok: false, error: { type: 'CancelledError', message: 'Run was cancelled' } };

export async function bundle(request: BundleRequest, options: BundleOptions): Promise<BundleOutcome> {
  if (options.signal?.aborted) return CANCELLED;
  const limits = options.limits ?? DEFAULT_BUNDLE_LIMITS;
  const scope = await scopeOf(request);
  if ('type' in scope) return { ok: false, error: scope };
  const startedAt = options.clock.now();
  // Without a folder every import is judged at resolution anyway (and there are few).
  const first = await build(request, scope, { ...options, limits }, !scope.root);
  if (!('relocate' in first)) return first;
  // A file refused as it was loaded: bundle again, judging every import, to say where it came from.
  const remaining = { ...limits, timeoutMs: Math.max(1, limits.timeoutMs - (options.clock.now() - startedAt)) };
  const located = await build(request, scope, { ...options, limits: remaining }, true);
  return 'relocate' in located || located.ok ? first.outcome : located;
}

type Built = BundleOutcome | { relocate: true; outcome: BundleOutcome };

async function build(request: BundleRequest, scope: Scope, options: BundleOptions & { limits: BundleLimits }, strict: boolean): Promise<Built> {
  const { limits } = options;
  const inputs: BundleInput[] = [];
  const ctx = await context(buildOptions(request, scope, limits, inputs, strict));
  let timedOut = false;
  const timer = options.clock.setTimeout(() => {
    timedOut = true;
    void ctx.cancel();
  }, limits.timeoutMs);
  const abort = () => void ctx.cancel();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    // A cancel that came while esbuild's context was being made has no listener to cancel it.
    if (options.signal?.aborted) return CANCELLED;
    const result = await ctx.rebuild();
    const map = result.outputFiles!.find((f) => f.path.endsWith('.map'))!.text;
    const js = result.outputFiles!.find((f) => !f.path.endsWith('.map'))!;
    if (js.contents.length > limits.maxOutputBytes) {
      return { ok: false, error: { type: 'BundleLimitError', message: `The bundle of the script and its imports is ${formatBytes(js.contents.length)}, over the ${formatBytes(limits.maxOutputBytes)} limit.` } };
    }
    return { ok: true, js: js.text, map, inputs, entrySource: scope.entrySource, scriptDir: scope.resolveDir };
  } catch (error) {
    if (timedOut) return { ok: false, error: { type: 'BundleLimitError', message: `Bundling the script's imports took longer than ${limits.timeoutMs / 1000} s and was stopped.` } };
    if (options.signal?.aborted) return CANCELLED;
    const errors = (error as BuildFailure).errors;
    if (!errors?.length) throw error;
    const outcome: BundleOutcome = { ok: false, error: bundleError(errors[0]!, request, scope) };
    return errors[0]!.detail instanceof LoadRefusal && !strict ? { relocate: true, outcome } : outcome;
  } finally {
    options.clock.clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
    await ctx.dispose();
  }
}

/** esbuild's first error as the user's: refusals in our words, the rest as esbuild says them. */
function bundleError(message: Message, request: BundleRequest, scope: Scope): RunError {
  const location = message.location;
  let position: Pick<RunError, 'file' | 'line' | 'column'> = {};
  let where = request.filename;
  if (location) {
    const source = location.namespace === 'isolab-entry' ? scope.entrySource : location.file.split(sep).join('/');
    const own = source === scope.entrySource || location.file === request.filename;
    const column = own ? mapColumn(request, location.line, location.column + 1) : location.column + 1;
    position = { ...(own ? {} : { file: source }), line: location.line, column };
    where = `${own ? request.filename : source}:${location.line}:${column}`;
  }
  const detail = message.detail as RefusalDetail | BundleLimitError | LoadRefusal | undefined;
  if (detail instanceof BundleLimitError) return { type: 'BundleLimitError', message: detail.message };
  if (detail instanceof LoadRefusal) return { type: 'ImportError', message: detail.message };
  if (detail && typeof detail === 'object' && 'message' in detail && typeof detail.message === 'function') {
    return { type: detail.type, message: detail.message(where), ...position };
  }
  // esbuild's resolver found nothing: said in the words of the strict mode (what to install, and how).
  const unresolved = /^Could not resolve "(.*)"$/.exec(message.text);
  if (unresolved) return { type: 'ImportError', message: notFoundMessage(unresolved[1]!, scope.root ?? '', where), ...position };
  return { type: 'SyntaxError', message: `${message.text} (${where})`, ...position };
}
