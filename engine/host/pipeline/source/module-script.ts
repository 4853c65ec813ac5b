/**
 * Module scripts, from request to the script the isolate compiles: the cached bundle when nothing
 * it was made from has changed, else edit the script (entry.ts), bundle it with its imports
 * (bundle.ts), and wrap the bundle (wrap-bundle.ts) with its source map (source-map.ts) for
 * positions. Only the source stage (pipeline/source.ts) comes here, and only for a script that
 * isModuleScript says imports or exports.
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../../common/clock.ts';
import type { Language, ModuleScope, RunError, RunResult } from '../../../common/contract.ts';
import type { WrappedSource } from '../../wrap.ts';
import { bundle, type BundleLimits } from './bundle.ts';
import { BundleCache, cacheKey } from './cache.ts';
import { editEntry } from './entry.ts';
import { BundleMap } from './source-map.ts';
import { wrapBundle } from './wrap-bundle.ts';

export { isModuleScript } from './entry.ts';

export interface ModuleRequest {
  code: string;
  language: Language | undefined;
  filename: string;
  modules: ModuleScope | undefined;
  callMode: boolean;
}

export type PreparedModule = { ok: true; wrapped: WrappedSource; bundle: NonNullable<RunResult['bundle']> } | { ok: false; error: RunError };

export interface PrepareModuleOptions {
  clock?: Clock;
  signal?: AbortSignal;
  limits?: BundleLimits;
  cache?: BundleCache;
}

const sharedCache = new BundleCache();

export async function prepareModule(request: ModuleRequest, options: PrepareModuleOptions = {}): Promise<PreparedModule> {
  const clock = options.clock ?? systemClock;
  const cache = options.cache ?? sharedCache;
  const startedAt = clock.now();
  const { code, language, filename, modules, callMode } = request;
  const key = cacheKey({ code, language, filename, modules, callMode });
  const hit = await cache.lookup(key);
  if (hit) return { ok: true, wrapped: hit.wrapped, bundle: { files: hit.files, bytes: hit.bytes, ms: clock.now() - startedAt, cached: true } };

  const token = randomBytes(12).toString('hex');
  const entry = editEntry(code, language, token, callMode);
  const hashedAt = Date.now();
  const outcome = await bundle(
    { code: entry.code, insertions: entry.insertions, language, filename, modules },
    { clock, ...(options.signal ? { signal: options.signal } : {}), ...(options.limits ? { limits: options.limits } : {}) },
  );
  if (!outcome.ok) return outcome;
  const positions = new BundleMap(outcome.map, { source: outcome.entrySource, insertions: entry.insertions });
  const wrapped = wrapBundle(outcome.js, { entry, positions, ...(callMode ? { callToken: token } : {}) });
  const made = { wrapped, files: outcome.inputs.length + 1, bytes: Buffer.byteLength(outcome.js) };
  await cache.store(key, made, outcome.inputs, outcome.scriptDir, hashedAt);
  return { ok: true, wrapped, bundle: { files: made.files, bytes: made.bytes, ms: clock.now() - startedAt, cached: false } };
}
