// A leaking closure
// Profile leaks (toolbar) runs this script many times in one context with a full GC between
// runs, and fits a line through what survives. Each run here registers a closure that keeps
// 10 KB of numbers alive, on a global list nobody ever clears: the timeline climbs and the verdict
// says "Leaks ≈ 10 KB per run". Compare with the bounded cache example, which stays flat.

globalThis.listeners ??= [];

function onMessage() {
  // 1,250 doubles ≈ 10 KB, captured by the closure below. (Not 'x'.repeat(10_000): V8 builds
  // repeated strings as a small tree of shared pieces, which would leak only a few hundred bytes.)
  const payload = Array.from({ length: 1250 }, () => Math.random());
  globalThis.listeners.push(() => payload.length);
}

onMessage();
return globalThis.listeners.length;
