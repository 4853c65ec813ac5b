/**
 * The request's source as the isolate will compile it: type-stripped and wrapped (wrap.ts), with
 * the filename stacks will show. Wrapping is pure, and people run the same code again and again,
 * so recent wrappings are kept.
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
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return { ok: true, wrapped };
}
