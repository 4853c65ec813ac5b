// A leaking closure
// Profile leaks (toolbar) runs this script many times in one context with a full GC between
// runs, and fits a line through what survives. Each run here registers a closure that keeps a
// 10 KB string alive, on a global list nobody ever clears: the timeline climbs and the verdict
// says "Leaks ≈ 10 KB per run". Compare with the bounded cache example, which stays flat.

globalThis.listeners ??= [];

function onMessage() {
  const payload = 'x'.repeat(10_000) + Math.random(); // captured by the closure below
  globalThis.listeners.push(() => payload.length);
}

onMessage();
return globalThis.listeners.length;
