import { describe, expect, it } from 'vitest';
import { IsolateFactory } from '../../../../engine/host/isolate-factory.ts';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IsolateFactory', () => {
  it('hands out the spare built while idle, and builds it only while idle', async () => {
    let idle = false;
    const factory = new IsolateFactory({ onCatastrophicError: () => {}, idle: () => idle, retryMs: 5 });
    const first = factory.take(64);
    await settle(30);
    // Busy: no spare was built, so the next take creates a fresh isolate.
    const second = factory.take(64);
    expect(second).not.toBe(first);
    idle = true;
    await settle(30);
    const created: unknown[] = [];
    const original = factory.create.bind(factory);
    factory.create = (mb: number) => {
      const iso = original(mb);
      created.push(iso);
      return iso;
    };
    const third = factory.take(64);
    expect(created).not.toContain(third); // it was the spare, not made on the spot
    expect(third.isDisposed).toBe(false);
    for (const iso of [first, second, third]) iso.dispose();
    factory.close();
  });

  it('does not hand out a spare with another memory limit', async () => {
    const factory = new IsolateFactory({ onCatastrophicError: () => {}, idle: () => true });
    factory.take(64).dispose();
    await settle(30);
    const other = factory.take(32);
    expect(other.isDisposed).toBe(false);
    const stats = await other.getHeapStatistics();
    expect(stats.heap_size_limit).toBeLessThan(64 * 1024 * 1024);
    other.dispose();
    factory.close();
  });
});
