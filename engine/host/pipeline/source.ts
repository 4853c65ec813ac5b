/**
 * The request's source as the isolate will compile it, with the filename stacks will show:
 * - a plain script (no import/export) is type-stripped and wrapped (wrap.ts), exactly as before;
 *   wrapping is pure, and people run the same code again and again, so recent wrappings are kept;
 * - a module script is bundled with its imports first (pipeline/source/), outside the isolate,
 *   under the bundler's own limits, and wrapped the same way; its bundles are cached by content.
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

export type PreparedSource =
  | {
      ok: true;
      wrapped: WrappedSource;
      /** Module scripts: what was bundled (RunResult.bundle). */
      bundle?: NonNullable<RunResult['bundle']>;
    }
  | { ok: false; error: RunError };

export type SourceRequest = Pick<ParsedRunRequest, 'code' | 'language' | 'filename' | 'modules' | 'call'>;

/**
 * The source to compile for a run or a leak profile. `signal` aborts bundling (a cancel while the
 * imports are being bundled).
 */
export async function prepareSource(request: SourceRequest, signal?: AbortSignal): Promise<PreparedSource> {
  const { code, language } = request;
  const callMode = request.call !== undefined;
  const hit = cachedScript(code, language, callMode);
  if (hit) return { ok: true, wrapped: hit };
  if (isModuleScript(code, language)) {
    const filename = request.filename ?? defaultFilename(language);
    return prepareModule({ code, language, filename, modules: request.modules, callMode }, signal ? { signal } : {});
  }
  return prepareScript(code, language, callMode);
}

function scriptKey(code: string, language: Language | undefined, callMode: boolean): string {
  return `${language ?? 'javascript'}:${callMode ? 1 : 0}:${code}`;
}

function cachedScript(code: string, language: Language | undefined, callMode: boolean): WrappedSource | undefined {
  const key = scriptKey(code, language, callMode);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

/** Wraps `code`; a TypeScript construct that cannot be erased is the user's SyntaxError, not ours. */
export function prepareScript(code: string, language: Language | undefined, callMode: boolean): PreparedSource {
  let wrapped: WrappedSource;
  try {
    wrapped = wrapSource(code, { ...(language ? { language } : {}), ...(callMode ? { callToken: randomBytes(12).toString('hex') } : {}) });
  } catch (error) {
    if (!(error instanceof TypeScriptError)) throw error;
    return { ok: false, error: { type: 'SyntaxError', message: error.message, ...(error.line ? { line: error.line, column: error.column ?? 1 } : {}) } };
  }
  if (code.length <= CACHE_MAX_CHARS) {
    const key = scriptKey(code, language, callMode);
    cache.set(key, wrapped);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return { ok: true, wrapped };
}
