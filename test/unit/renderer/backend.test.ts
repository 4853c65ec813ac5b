import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelayMs, BackendError, PendingRequests, webBackend, type SocketLike } from '../../../renderer/src/backend.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: any[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {}
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

describe('backoff', () => {
  it('doubles from 250 ms up to 5 s, with ±20% jitter', () => {
    expect(backoffDelayMs(1, () => 0.5)).toBe(250);
    expect(backoffDelayMs(3, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(30, () => 0.5)).toBe(5000);
    expect(backoffDelayMs(1, () => 0)).toBe(200);
    expect(backoffDelayMs(1, () => 1)).toBe(300);
  });
});

describe('pending requests', () => {
  it('settles by id and fails everything on disconnect', async () => {
    const pending = new PendingRequests();
    const a = pending.open('status');
    const b = pending.open('status');
    expect(a.id).not.toBe(b.id);
    expect(pending.settle(a.id, 'x')).toBe(true);
    expect(pending.settle(a.id, 'x')).toBe(false);
    await expect(a.reply).resolves.toBe('x');
    pending.failAll(new Error('gone'));
    await expect(b.reply).rejects.toThrow('gone');
    expect(pending.size).toBe(0);
  });
});

describe('web backend', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for the socket, frames requests, validates replies and events', async () => {
    const sockets: FakeSocket[] = [];
    const backend = webBackend('ws://x/api/ws', () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    });
    const events: unknown[] = [];
    backend.onEvent((e) => events.push(e));
    const reply = backend.call('cancel', { runId: 'r' });
    await Promise.resolve();
    expect(sockets[0]!.sent).toEqual([]);
    sockets[0]!.open();
    await Promise.resolve();
    expect(sockets[0]!.sent).toEqual([{ id: 1, channel: 'cancel', payload: { runId: 'r' } }]);
    sockets[0]!.receive({ events: [{ type: 'engine', state: 'restarting' }, { type: 'engine', state: 'ready' }] });
    sockets[0]!.receive({ events: [{ type: 'bogus' }] });
    sockets[0]!.receive({ id: 1, reply: { ok: true, value: { cancelled: true } } });
    await expect(reply).resolves.toEqual({ cancelled: true });
    expect(events).toEqual([{ type: 'engine', state: 'restarting' }, { type: 'engine', state: 'ready' }]);

    const failing = backend.call('workspace.read', { name: 'a.js' });
    await Promise.resolve();
    sockets[0]!.receive({ id: 2, reply: { ok: false, error: { type: 'NotFoundError', message: 'no such script' } } });
    await expect(failing).rejects.toMatchObject({ type: 'NotFoundError', message: 'no such script' });
  });

  it('fails calls in flight on disconnect, shows the retry, and reconnects', async () => {
    const sockets: FakeSocket[] = [];
    const backend = webBackend('ws://x/api/ws', () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    });
    const states: string[] = [];
    backend.onConnection((s) => states.push(s.state));
    sockets[0]!.open();
    const inflight = backend.call('status', {});
    await Promise.resolve();
    sockets[0]!.drop();
    await expect(inflight).rejects.toBeInstanceOf(BackendError);
    expect(backend.connection().state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(400);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(states).toEqual(['connected', 'reconnecting', 'connected']);
  });
});
