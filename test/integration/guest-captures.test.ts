/**
 * The guest captures builtins once, in the isolate snapshot, and a few when each context is made.
 * A builtin a fresh context has but the guest holds as missing silently loses behaviour (that is
 * how the sandbox's Buffer once refused a SharedArrayBuffer), so every capture is checked against
 * what a real context from the snapshot has.
 */
import '../../engine/host/v8-flags.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import { IsolateFactory } from '../../engine/host/isolate-factory.ts';
import { IsolateSlot } from '../../engine/host/slot.ts';

describe('guest captures', () => {
  it('misses nothing a fresh context from the snapshot has', async () => {
    const factory = new IsolateFactory({ onCatastrophicError: () => {}, idle: () => false });
    const slot = new IsolateSlot(0, { factory, memoryLimitMb: 64, guest: { maxLogLines: 10, maxLogBytes: 10_000, maxTimers: 10 }, maxRuns: 10, maxErrors: 10 });
    try {
      const context = await slot.takeFreshContext();
      expect(await context.missingCaptures()).toEqual([]);
      context.release();
    } finally {
      slot.close();
      factory.close();
    }
  });
});

describe('Buffer and SharedArrayBuffer (as in Node 24)', () => {
  let engine: EngineClient;
  beforeAll(async () => {
    engine = await EngineClient.start({ host: { poolSize: 1 } });
  });
  afterAll(() => engine.close());

  it.each([
    ['Buffer.from(new SharedArrayBuffer(4)).length', 4],
    ['Buffer.byteLength(new SharedArrayBuffer(6))', 6],
    ['new Buffer(new SharedArrayBuffer(3)).length', 3],
    ['(() => { const s = new SharedArrayBuffer(8); const b = Buffer.from(s, 2, 4); new Uint8Array(s)[3] = 7; return [b.length, b[1]]; })()', [4, 7]],
  ])('%s', async (code, expected) => {
    const r = await engine.run({ code });
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual(expected);
  });
});
