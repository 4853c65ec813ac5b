import { describe, expect, it } from 'vitest';
import type { HostMessage, RunEvent } from '../../../../engine/common/protocol.ts';
import { HostChannel } from '../../../../engine/host/channel.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const log = (i: number): RunEvent => ({ type: 'log', runId: 'r', entry: { level: 'log', text: String(i), timeMs: i } });
const result = (id: string): HostMessage => ({ type: 'result', id, result: {} as never });

function setup(connected = true) {
  const packets: HostMessage[][] = [];
  const port = { connected, send: (p: HostMessage[], cb?: () => void) => (packets.push(p), cb?.()) };
  const clock = new FakeClock();
  let deferred: (() => void)[] = [];
  const endOfTurn = () => {
    const fns = deferred;
    deferred = [];
    for (const fn of fns) fn();
  };
  return { packets, clock, endOfTurn, channel: new HostChannel(port, { clock, defer: (fn) => deferred.push(fn) }) };
}

describe('HostChannel', () => {
  it('sends what one turn produced as one packet', () => {
    const { packets, endOfTurn, channel } = setup();
    channel.send(result('a'));
    channel.send(result('b'));
    expect(packets).toHaveLength(0);
    endOfTurn();
    expect(packets).toEqual([[result('a'), result('b')]]);
  });

  it('batches events until a short delay passes, and sends them before anything sent later', () => {
    const { packets, clock, endOfTurn, channel } = setup();
    channel.emit(log(1));
    channel.emit(log(2));
    clock.advance(4);
    expect(packets).toHaveLength(0);
    clock.advance(1);
    expect(packets).toEqual([[{ type: 'events', events: [log(1), log(2)] }]]);
    channel.emit(log(3));
    channel.send(result('r'));
    endOfTurn();
    expect(packets[1]).toEqual([{ type: 'events', events: [log(3)] }, result('r')]);
  });

  it('sends a full event batch at the end of the turn', () => {
    const { packets, endOfTurn, channel } = setup();
    for (let i = 0; i < 1000; i++) channel.emit(log(i));
    endOfTurn();
    expect(packets).toHaveLength(1);
    expect((packets[0]![0] as { events: RunEvent[] }).events).toHaveLength(1000);
  });

  it("tells the client a run started only if it is still running a moment later", () => {
    const { packets, clock, endOfTurn, channel } = setup();
    channel.started('fast');
    channel.started('slow');
    channel.send(result('fast'));
    endOfTurn();
    clock.advance(20);
    expect(packets).toEqual([[result('fast')], [{ type: 'started', id: 'slow' }]]);
  });

  it('sends nothing when disconnected but still ends on sendLast', () => {
    const { packets, channel } = setup(false);
    let ended = false;
    channel.emit(log(1));
    channel.sendLast({ type: 'exiting', reason: 'x' }, () => (ended = true));
    expect(packets).toEqual([]);
    expect(ended).toBe(true);
  });
});
