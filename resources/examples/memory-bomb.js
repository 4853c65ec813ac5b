// Memory bomb
// Allocates without bound. The isolate has a heap limit (toolbar → Limits → Memory, default
// 128 MB): when it is reached the run ends with a MemoryLimitError and the isolate is replaced,
// while the engine and this editor carry on. Open the Heap panel before running to watch the
// used heap climb to the limit line.

const hoard = [];
let i = 0;
while (true) {
  hoard.push({ i, text: 'memory '.repeat(64) + i++ });
  if (i % 100_000 === 0) console.log(`${i.toLocaleString()} objects held`);
}
