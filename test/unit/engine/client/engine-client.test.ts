import { describe, expect, it } from 'vitest';
import { EngineClient, type EngineClientOptions } from '../../../../engine/client/engine-client.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { fakeSpawner, flush } from './fake-host.ts';

async function start(options: EngineClientOptions = {}, autoReady = true) {
  const clock = new FakeClock();
  const spawner = fakeSpawner(autoReady);
  const client = await EngineClient.start({ clock, spawnHost: spawner.spawn, launcher: { command: 'fake', args: [] }, ...options });
  return { clock, hosts: spawner.hosts, client };
}

describe('EngineClient', () => {
  it('sends a run to the host and resolves with its result', async () => {
    const { client, hosts } = await start();
    const pending = client.run({ code: '1' }, { runId: 'r1' });
    await flush();
    expect(hosts[0]!.runs()).toEqual(['r1']);
    hosts[0]!.result('r1', 1);
    expect((await pending).value).toBe(1);
    await client.close();
  });

  it('replaces a host that stops answering its heartbeat', async () => {
    const { client, hosts, clock } = await start({ heartbeatIntervalMs: 100, heartbeatTimeoutMs: 500 });
    clock.advance(300);
    await flush();
    expect(hosts[0]!.killed).toBe(false);
    hosts[0]!.answersPings = false;
    clock.advance(700);
    await flush();
    expect(hosts[0]!.killed).toBe(true);
    await flush();
    expect(hosts).toHaveLength(2);
    await client.close();
  });

  it('kills the host when a started run outlives its deadline plus the grace, and says TimeoutError', async () => {
    const { client, hosts, clock } = await start({ graceMs: 1_000, heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 120_000 });
    const pending = client.run({ code: 'stuck', timeoutMs: 500 }, { runId: 'stuck' });
    await flush();
    clock.advance(10_000);
    expect(hosts[0]!.killed).toBe(false); // not started yet: queue time does not count
    hosts[0]!.say({ type: 'started', id: 'stuck' });
    clock.advance(1_499);
    expect(hosts[0]!.killed).toBe(false);
    clock.advance(1);
    const r = await pending;
    expect(r.error?.type).toBe('TimeoutError');
    expect(r.error?.message).toMatch(/could not be interrupted/);
    await client.close();
  });

  it('fails the run a dead host was executing, and sends the ones it had not started to the next host', async () => {
    const { client, hosts } = await start();
    const running = client.run({ code: 'a' }, { runId: 'running' });
    const queued = client.run({ code: 'b' }, { runId: 'queued' });
    await flush();
    hosts[0]!.say({ type: 'started', id: 'running' });
    hosts[0]!.exit(null, 'SIGKILL');
    const r = await running;
    expect(r.error).toMatchObject({ type: 'EngineCrashedError', message: 'The engine host stopped during the run: killed by SIGKILL' });
    await flush();
    await flush();
    expect(hosts[1]!.runs()).toEqual(['queued']);
    hosts[1]!.result('queued', 2);
    expect((await queued).value).toBe(2);
    await client.close();
  });

  it('backs off when hosts keep dying', async () => {
    const { client, hosts, clock } = await start();
    for (let i = 0; i < 3; i++) {
      hosts[hosts.length - 1]!.exit(1, null);
      await flush();
    }
    expect(hosts).toHaveLength(4);
    hosts[3]!.exit(1, null);
    await flush();
    expect(hosts).toHaveLength(4); // the fourth crash in 10 s waits 500 ms
    clock.advance(499);
    expect(hosts).toHaveLength(4);
    clock.advance(1);
    expect(hosts).toHaveLength(5);
    await flush();
    const status = client.status();
    await flush();
    hosts[4]!.answerStatus();
    expect((await status).interrupts.hostRestarts).toBe(4);
    await client.close();
  });

  it('stays closed when a host finishes starting after close(), and ends that host', async () => {
    const { client, hosts } = await start();
    hosts[0]!.exit(1, null);
    await flush();
    expect(hosts).toHaveLength(2);
    const late = hosts[1]!;
    // The replacement is still starting (autoReady queued) when the client closes.
    const closing = client.close();
    await closing;
    await flush();
    expect((await client.status()).state).toBe('closed');
    expect(late.connected).toBe(false);
    expect(hosts).toHaveLength(2);
  });

  it('reports interrupt figures from the host, plus its own restart count', async () => {
    const { client, hosts } = await start();
    const pending = client.status();
    await flush();
    const interrupts = { timeouts: 3, cpuLimits: 1, cancels: 2, memoryLimits: 0, latencyMs: { count: 5, p50: 1, p99: 2, max: 3 } };
    hosts[0]!.answerStatus(interrupts);
    expect((await pending).interrupts).toEqual({ ...interrupts, hostRestarts: 0 });
    await client.close();
  });
});

describe('EngineClient replacing hosts', () => {
  it('keeps a warm spare and promotes it at once when the current host dies', async () => {
    const { client, hosts } = await start({ spareHost: true });
    await flush();
    expect(hosts).toHaveLength(2); // current + spare
    const spare = hosts[1]!;
    hosts[0]!.exit(null, 'SIGKILL');
    await flush();
    expect(client.hostPid).toBe(spare.pid);
    const pending = client.run({ code: '1' }, { runId: 'after' });
    await flush();
    expect(spare.runs()).toEqual(['after']);
    spare.result('after', 1);
    expect((await pending).value).toBe(1);
    await flush();
    expect(hosts).toHaveLength(3); // a new spare
    await client.close();
  });

  it('retires a degraded host: new work goes to the replacement, started work finishes where it is', async () => {
    const { client, hosts } = await start({ drainMs: 5_000 });
    const old = hosts[0]!;
    const started = client.run({ code: 'slow' }, { runId: 'slow' });
    await flush();
    old.say({ type: 'started', id: 'slow' });
    old.say({ type: 'degraded', runId: 'stuck', reason: 'run stuck could not be interrupted' });
    await flush();
    await flush();
    const next = hosts[1]!;
    expect(client.hostPid).toBe(next.pid);
    const fresh = client.run({ code: 'new' }, { runId: 'new' });
    await flush();
    expect(next.runs()).toEqual(['new']);
    expect(old.connected).toBe(true); // still finishing its run
    old.result('slow', 7);
    expect((await started).value).toBe(7);
    await flush();
    expect(old.received.some((m) => m.type === 'shutdown')).toBe(true);
    next.result('new', 8);
    expect((await fresh).value).toBe(8);
    const status = client.status();
    await flush();
    next.answerStatus();
    expect((await status).interrupts.hostRestarts).toBe(1);
    await client.close();
  });

  it('re-runs, with a restarted event, work that was executing when a retired host was ended', async () => {
    const { client, hosts, clock } = await start({ drainMs: 1_000, heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 120_000 });
    const old = hosts[0]!;
    const events: string[] = [];
    const pending = client.run({ code: 'long' }, { runId: 'long', onEvent: (e) => events.push(e.type) });
    await flush();
    old.say({ type: 'started', id: 'long' });
    old.say({ type: 'degraded', runId: 'stuck', reason: 'stuck' });
    await flush();
    await flush();
    clock.advance(1_000); // the drain bound: the old host is ended with the run unfinished
    await flush();
    await flush();
    const next = hosts[1]!;
    expect(next.runs()).toEqual(['long']);
    expect(events).toEqual(['restarted']);
    next.result('long', 3);
    expect((await pending).value).toBe(3);
    await client.close();
  });

  it('fails executing work with EngineCrashedError when no other run is known to have caused the loss', async () => {
    const { client, hosts } = await start();
    const pending = client.run({ code: 'x' }, { runId: 'x' });
    await flush();
    hosts[0]!.say({ type: 'started', id: 'x' });
    hosts[0]!.exit(null, 'SIGSEGV');
    expect((await pending).error?.type).toBe('EngineCrashedError');
    await client.close();
  });
});
