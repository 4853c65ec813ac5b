// Never-settling promise
// isolated-vm's own timeout only covers synchronous code; an await on a promise that never
// settles would hang forever without the engine's wall-clock deadline. Set Limits → Timeout to
// 2000 ms and Run: the run ends with a TimeoutError after two seconds, and the Heap panel shows
// the isolate idling meanwhile.

console.log('waiting for a promise that never settles…');
await new Promise(() => {});
console.log('never printed');
