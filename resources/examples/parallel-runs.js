// Parallel runs
// The engine keeps a pool of isolates, so runs do not wait for each other. Press Run three or
// four times quickly: each run takes about 1.5 s of CPU, yet they finish together rather than one
// after another (up to the pool size; more wait in the queue). Watch the Engine panel's busy and
// queued counts, and compare the queued time of each run in the Timing history.

const started = performance.now();
let x = 0;
while (performance.now() - started < 1500) x += Math.sqrt(x + 1);

console.log(`busy for ${Math.round(performance.now() - started)} ms`);
return { x };
