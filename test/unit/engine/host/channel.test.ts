import { describe, expect, it } from 'vitest';
import type { HostMessage, RunEvent } from '../../../../engine/common/protocol.ts';
import { HostChannel } from '../../../../engine/host/channel.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const log = (i: number): RunEvent => ({ type: 'log', runId: 'r', entry: { level: 'log', text: String(i), timeMs: i } });

function setup(connected = true) {
  const sent: HostMessage[] = [];
  const port = { connected, send: (m: HostMessage, cb?: () => void) => (sent.push(m), cb?.()) };
  const clock = new FakeClock();
  return { sent, clock, channel: new HostChannel(port, clock) };
}

describe('HostChannel', () => {
  it('batches events until a short delay passes', () => {
    const { sent, clock, channel } = setup();
    channel.emit(log(1));
    channel.emit(log(2));
    expect(sent).toHaveLength(0);
    clock.advance(5);
    expect(sent).toEqual([{ type: 'events', events: [log(1), log(2)] }]);
  });

  it('flushes a full batch at once, and events before any other message', () => {
    const { sent, channel } = setup();
    for (let i = 0; i < 1000; i++) channel.emit(log(i));
    expect(sent).toHaveLength(1);
    channel.emit(log(1000));
    channel.send({ type: 'result', id: 'r', result: {} as never });
    expect(sent.map((m) => m.type)).toEqual(['events', 'events', 'result']);
  });

  it('sends nothing when disconnected but still ends on sendLast', () => {
    const { sent, channel } = setup(false);
    let ended = false;
    channel.emit(log(1));
    channel.sendLast({ type: 'exiting', reason: 'x' }, () => (ended = true));
    expect(sent).toEqual([]);
    expect(ended).toBe(true);
  });
});
