// A bounded cache
// The fixed version of the leaking closure: the same 10 KB payloads, but kept in a cache that
// evicts its oldest entry beyond 20 items. Profile leaks: the heap grows during the first runs
// (warm-up, which the fit ignores), then stays flat, and the verdict says "Stable".

const LIMIT = 20;
globalThis.cache ??= new Map();

function remember(key, value) {
  const cache = globalThis.cache;
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value);
}

globalThis.tick = (globalThis.tick ?? 0) + 1;
remember(`item-${globalThis.tick}`, Array.from({ length: 1250 }, () => Math.random()));
return globalThis.cache.size;
