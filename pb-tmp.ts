import ivm from 'isolated-vm';
const iso = new ivm.Isolate({ memoryLimit: 128, inspector: true });
const ctx = await iso.createContext({ inspector: true });
const run = (c: string) => iso.compileScript(c).then((s) => s.run(ctx));
await run(`globalThis.records = []; for (let i = 0; i < 52_000; i++) records.push({ id: i, name: 'record-' + i, tags: [i % 7] });`);
const s = iso.createInspectorSession();
let id = 1; const waits = new Map(); const notes: any[] = [];
s.onResponse = (cid, m) => { waits.get(cid)?.(JSON.parse(m)); };
s.onNotification = (m) => { const n = JSON.parse(m); if (n.method !== 'HeapProfiler.addHeapSnapshotChunk') notes.push(n.method + ' ' + JSON.stringify(n.params).slice(0, 80)); };
const send = (method: string, params = {}) => new Promise<any>((r) => { const i = id++; waits.set(i, r); s.dispatchProtocolMessage(JSON.stringify({ id: i, method, params })); });
await send('HeapProfiler.enable');
for (let k = 0; k < 2; k++) {
  const t0 = performance.now();
  await send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false });
  await send('HeapProfiler.stopTrackingHeapObjects', { reportProgress: false });
  console.log('track round', (performance.now() - t0).toFixed(0), 'ms', notes.splice(0));
  await run(`records.push({ id: -1 });`);
}
s.dispose(); iso.dispose();
