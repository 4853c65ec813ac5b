// Same declarations, run twice
// Each run is wrapped in its own async function, so top-level `const` and `let` of one run can
// never collide with the next: run this twice and there is no "Identifier has already been
// declared". Now tick "Reuse context" in the toolbar and run it a few times: the declarations still
// do not collide, but `globalThis` persists, so `runs` counts up (same isolate, same context).
// Untick it and every run starts from a fresh context again.

const greeting = 'hello';
let counter = 0;
counter++;

globalThis.runs = (globalThis.runs ?? 0) + 1;
console.log(`${greeting}: this context has seen ${globalThis.runs} run(s)`);
return { counter, runs: globalThis.runs };
