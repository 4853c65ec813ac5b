/**
 * The request's source as the isolate will compile it: type-stripped and wrapped (wrap.ts), with
 * the filename stacks will show. Wrapping is pure, and people run the same code again and again,
 * so recent wrappings are kept, bounded by count and by total size.
 */
import { randomBytes } from 'node:crypto';
import type { Language, RecordOptions, RunError } from '../../common/contract.ts';
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

export type PreparedSource = { ok: true; wrapped: WrappedSource } | { ok: false; error: RunError };

/**
 * Wraps `code` (instrumented when `record` asks for values or coverage: instrument.ts); a
 * TypeScript construct that cannot be erased is the user's SyntaxError, not ours.
 */
export function prepareSource(code: string, language: Language | undefined, callMode: boolean, record?: RecordOptions): PreparedSource {
  const instrument = record?.values || record?.coverage ? { values: record.values === true, coverage: record.coverage === true } : undefined;
  const key = `${language ?? 'javascript'}:${callMode ? 1 : 0}:${instrument ? `${+instrument.values}${+instrument.coverage}` : '-'}:${code}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { ok: true, wrapped: hit };
  }
  let wrapped: WrappedSource;
  try {
    wrapped = wrapSource(code, { ...(language ? { language } : {}), ...(callMode ? { callToken: randomBytes(12).toString('hex') } : {}), ...(instrument ? { instrument } : {}) });
  } catch (error) {
    if (!(error instanceof TypeScriptError)) throw error;
    return { ok: false, error: { type: 'SyntaxError', message: error.message, ...(error.line ? { line: error.line, column: error.column ?? 1 } : {}) } };
  }
  if (code.length <= CACHE_MAX_CHARS) {
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
