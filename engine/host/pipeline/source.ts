/**
 * The request's source as the isolate will compile it, with the filename stacks will show:
 * - a plain script (no import/export) is type-stripped and wrapped (wrap.ts), instrumented when
 *   `record` asks for values or coverage (instrument.ts); wrapping is pure, and people run the
 *   same code again and again, so recent wrappings are kept, bounded by count and by total size;
 * - a module script is bundled with its imports first (pipeline/source/), outside the isolate,
 *   under the bundler's own limits, and wrapped the same way; its bundles are cached by content.
 *   It cannot be instrumented (yet): the instrumentation's lines are the script's own, and the
 *   bundle's are not, so `record` is refused rather than reported at the wrong lines.
 */
import { randomBytes } from 'node:crypto';
import type { Language, ParsedRunRequest, RunError, RunResult } from '../../common/contract.ts';
import { isModuleScript, prepareModule } from './source/module-script.ts';
import { TypeScriptError, wrapSource, type WrappedSource } from '../wrap.ts';

export function defaultFilename(language: Language | undefined): string {
  return language === 'typescript' ? 'script.ts' : 'script.js';
}

const cache = new Map<string, WrappedSource>();
const CACHE_ENTRIES = 64;
const CACHE_MAX_CHARS = 256 * 1024;
/**
 * All keys and wrapped code together, in UTF-16 units: 64 entries of up to 256 Ki would otherwise
 * hold 32 Mi (up to 64 MB) of source for good.
 */
const CACHE_MAX_TOTAL_CHARS = 4 * 1024 * 1024;
let cachedChars = 0;

const footprint = (key: string, wrapped: WrappedSource) => key.length + wrapped.code.length;

/** What the cache holds now (for tests and diagnostics). */
export function wrapCacheSize(): { entries: number; chars: number } {
  return { entries: cache.size, chars: cachedChars };
}

export type PreparedSource =
  | {
      ok: true;
      wrapped: WrappedSource;
      /** Module scripts: what was bundled (RunResult.bundle). */
      bundle?: NonNullable<RunResult['bundle']>;
    }
  | { ok: false; error: RunError };

export type SourceRequest = Pick<ParsedRunRequest, 'code' | 'language' | 'filename' | 'modules' | 'call' | 'record'>;

/** What an instrumented run records; undefined when `record` asks for nothing. */
type Instrument = { values: boolean; coverage: boolean };

/** A module script with `record`: refused (see the top of this file). */
export const RECORD_MODULE_REFUSAL =
  'Inline values and coverage (record) are not available for module scripts (a script with import or export): run it without them.';

/**
 * The source to compile for a run or a leak profile. `signal` aborts bundling (a cancel while the
 * imports are being bundled).
 */
export async function prepareSource(request: SourceRequest, signal?: AbortSignal): Promise<PreparedSource> {
  const { code, language, record } = request;
  const callMode = request.call !== undefined;
  const instrument = record?.values || record?.coverage ? { values: record.values === true, coverage: record.coverage === true } : undefined;
  const hit = cachedScript(code, language, callMode, instrument);
  if (hit) return { ok: true, wrapped: hit };
  if (isModuleScript(code, language)) {
    if (instrument) return { ok: false, error: { type: 'UnsupportedError', message: RECORD_MODULE_REFUSAL } };
    const filename = request.filename ?? defaultFilename(language);
    return prepareModule({ code, language, filename, modules: request.modules, callMode }, signal ? { signal } : {});
  }
  return prepareScript(code, language, callMode, instrument);
}

function scriptKey(code: string, language: Language | undefined, callMode: boolean, instrument: Instrument | undefined): string {
  return `${language ?? 'javascript'}:${callMode ? 1 : 0}:${instrument ? `${+instrument.values}${+instrument.coverage}` : '-'}:${code}`;
}

function cachedScript(code: string, language: Language | undefined, callMode: boolean, instrument: Instrument | undefined): WrappedSource | undefined {
  const key = scriptKey(code, language, callMode, instrument);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

/**
 * Wraps `code` (instrumented when asked: instrument.ts); a TypeScript construct that cannot be
 * erased is the user's SyntaxError, not ours.
 */
export function prepareScript(code: string, language: Language | undefined, callMode: boolean, instrument?: Instrument): PreparedSource {
  let wrapped: WrappedSource;
  try {
    wrapped = wrapSource(code, { ...(language ? { language } : {}), ...(callMode ? { callToken: randomBytes(12).toString('hex') } : {}), ...(instrument ? { instrument } : {}) });
  } catch (error) {
    if (!(error instanceof TypeScriptError)) throw error;
    return { ok: false, error: { type: 'SyntaxError', message: error.message, ...(error.line ? { line: error.line, column: error.column ?? 1 } : {}) } };
  }
  if (code.length <= CACHE_MAX_CHARS) {
    const key = scriptKey(code, language, callMode, instrument);
    cache.set(key, wrapped);
    cachedChars += footprint(key, wrapped);
    // Least recently used first (a hit moves its entry to the end).
    for (const [oldest, value] of cache) {
      if (cache.size <= CACHE_ENTRIES && cachedChars <= CACHE_MAX_TOTAL_CHARS) break;
      cache.delete(oldest);
      cachedChars -= footprint(oldest, value);
    }
  }
  return { ok: true, wrapped };
}
