import { describe, expect, it } from 'vitest';
import { Pool, type PoolSlot } from '../../../../engine/host/pool.ts';

function fakeSlot(index: number, memoryLimitMb = 128): PoolSlot & { replacedNow: number; closed: boolean } {
  return {
    index,
    memoryLimitMb,
    busy: false,
    runs: 0,
    errors: 0,
    replaced: 0,
    lastHeapUsed: 0,
    replacedNow: 0,
    closed: false,
    ready: () => Promise.resolve(),
    replace() {
      this.replacedNow++;
    },
    close() {
      this.closed = true;
    },
  };
}

const makePool = (size = 2, maxQueue = 2, limits: number[] = []) => new Pool({ size, maxQueue }, (i) => fakeSlot(i, limits[i]));

describe('Pool', () => {
  it('hands out idle slots, preferring one that already has the memory limit asked for', async () => {
    const pool = makePool(2, 2, [128, 64]);
    const a = await pool.acquire(64);
    expect(a.index).toBe(1);
    const b = await pool.acquire(64);
    expect(b.index).toBe(0);
    expect(pool.busy).toBe(2);
  });

  it('queues in FIFO order and hands a released slot to the next waiter', async () => {
    const pool = makePool(1, 5);
    const slot = await pool.acquire(128);
    const order: string[] = [];
    const first = pool.acquire(128).then((s) => (order.push('first'), s));
    const second = pool.acquire(128).then((s) => (order.push('second'), s));
    expect(pool.queued).toBe(2);
    pool.release(slot);
    pool.release(await first);
    await second;
    expect(order).toEqual(['first', 'second']);
    expect(slot.busy).toBe(true);
  });

  it('refuses past the queue bound with EngineBusyError', async () => {
    const pool = makePool(1, 1);
    await pool.acquire(128);
    void pool.acquire(128);
    await expect(pool.acquire(128)).rejects.toMatchObject({ name: 'EngineBusyError' });
  });

  it('takes a waiter out of the queue when its signal aborts', async () => {
    const pool = makePool(1, 5);
    const slot = await pool.acquire(128);
    const abort = new AbortController();
    const waiting = pool.acquire(128, abort.signal);
    abort.abort(Object.assign(new Error('gone'), { name: 'CancelledError' }));
    await expect(waiting).rejects.toMatchObject({ name: 'CancelledError' });
    expect(pool.queued).toBe(0);
    pool.release(slot);
    expect(slot.busy).toBe(false);
  });

  it('refuses new work while the host is over its memory budget, and recycles only idle slots', async () => {
    const pool = makePool(2, 5);
    const busy = await pool.acquire(128);
    expect(pool.recycleIdle()).toBe(1);
    expect((busy as ReturnType<typeof fakeSlot>).replacedNow).toBe(0);
    pool.acceptingWork = false;
    await expect(pool.acquire(128)).rejects.toMatchObject({ name: 'EngineBusyError' });
  });

  it('rejects every waiter and closes every slot on close', async () => {
    let closedFactory = false;
    const pool = new Pool({ size: 1, maxQueue: 5 }, (i) => fakeSlot(i), () => (closedFactory = true));
    await pool.acquire(128);
    const waiting = pool.acquire(128);
    pool.close();
    await expect(waiting).rejects.toMatchObject({ name: 'EngineBusyError' });
    expect((pool.slots[0] as ReturnType<typeof fakeSlot>).closed).toBe(true);
    expect(closedFactory).toBe(true);
  });

  it('reports its status', async () => {
    const pool = makePool(2, 3);
    await pool.acquire(128);
    const s = pool.status(100, 200, 50);
    expect(s).toMatchObject({ size: 2, busy: 1, queued: 0, maxQueue: 3, rssBytes: 100, rssBudgetBytes: 200, hostHeapBytes: 50, acceptingWork: true });
    expect(s.isolates).toHaveLength(2);
  });
});
