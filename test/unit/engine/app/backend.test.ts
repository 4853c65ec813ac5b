import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendEvent, ChannelName } from '../../../../engine/common/api.ts';
import { CHANNEL_NAMES, DEFAULT_SETTINGS, channels } from '../../../../engine/common/api.ts';
import { Backend, noticeToEvent } from '../../../../engine/app/backend.ts';
import type { CallContext } from '../../../../engine/app/backend.ts';
import { Caller } from '../../../../engine/app/caller.ts';
import { PackageInstaller } from '../../../../engine/app/packages.ts';
import { SettingsStore } from '../../../../engine/workspace/settings-store.ts';
import { Workspace } from '../../../../engine/workspace/workspace.ts';
import { FakeEngine } from '../../../support/fake-engine.ts';

/**
 * One valid payload and several invalid ones per channel. `satisfies Record<ChannelName, …>` makes
 * the type check fail when a channel is added to the contract without a contract test here.
 */
const cases = {
  run: { valid: { code: 'return 1', timeoutMs: 50 }, invalid: [{}, { code: 1 }, { code: 'x', timeoutMs: -1 }, { code: 'x', memoryLimitMb: 1 }, { code: 'x', runId: '' }, null] },
  leak: { valid: { code: 'x', iterations: 5 }, invalid: [{ code: 'x', iterations: 1 }, { iterations: 5 }, 'code'] },
  cancel: { valid: { runId: 'r1' }, invalid: [{}, { runId: '' }, { runId: 7 }] },
  status: { valid: {}, invalid: [{ extra: 1 }, null, []] },
  'workspace.info': { valid: {}, invalid: [{ dir: '/etc' }] },
  'workspace.list': { valid: {}, invalid: [{ all: true }, 'x'] },
  'workspace.read': { valid: { name: 'a.js' }, invalid: [{}, { name: '../a.js' }, { name: 'a.exe' }, { name: '.a.js' }] },
  'workspace.write': { valid: { name: 'b.js', content: 'x' }, invalid: [{ name: 'b.js' }, { name: 'dir/b.js', content: '' }, { name: 'b.js', content: 5 }] },
  'workspace.rename': { valid: { from: 'a.js', to: 'c.ts' }, invalid: [{ from: 'a.js' }, { from: 'a.js', to: '/tmp/c.ts' }] },
  'workspace.delete': { valid: { name: 'a.js' }, invalid: [{ name: 'C:\\a.js' }, { name: '' }] },
  'packages.list': { valid: {}, invalid: [{ all: 1 }, 'x'] },
  'packages.add': {
    valid: { spec: 'date-fns@^4.1', installId: 'i1' },
    invalid: [{ spec: '--global', installId: 'i' }, { spec: '../evil', installId: 'i' }, { spec: 'git+https://h/x.git', installId: 'i' }, { spec: 'a b', installId: 'i' }, { spec: 'file:../x', installId: 'i' }, { spec: 'x@1 || 2', installId: 'i' }, { spec: 'x' }],
  },
  'settings.get': { valid: {}, invalid: [{ theme: 'dark' }] },
  'settings.set': { valid: { theme: 'dark', timeoutMs: 5000 }, invalid: [{ theme: 'neon' }, { timeoutMs: 0 }, { memoryLimitMb: 'big' }, 'dark'] },
} satisfies Record<ChannelName, { valid: unknown; invalid: unknown[] }>;

const FAKE_NPM = fileURLToPath(new URL('../../../support/fake-npm.mjs', import.meta.url));

let dir: string;
let engine: FakeEngine;
let events: BackendEvent[];
let emitted: { event: BackendEvent; except?: CallContext }[];
let backend: Backend;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-backend-'));
  const workspace = await Workspace.open(join(dir, 'ws'));
  await workspace.write('a.js', 'return 1');
  engine = new FakeEngine();
  events = [];
  emitted = [];
  const emit = (event: BackendEvent, except?: CallContext) => {
    events.push(event);
    emitted.push(except ? { event, except } : { event });
  };
  const packages = new PackageInstaller({ npm: [process.execPath, FAKE_NPM] });
  backend = new Backend({ engine, workspace: () => workspace, settings: new SettingsStore(join(dir, 'settings.json')), emit, packages });
});
afterEach(async () => {
  backend.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('Backend channel contract', () => {
  it('has a contract test for every channel of the table', () => {
    expect(Object.keys(cases).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  for (const channel of CHANNEL_NAMES) {
    it(`${channel}: a valid payload gets a reply that matches the response schema`, async () => {
      const reply = await backend.dispatch(channel, cases[channel].valid);
      expect(reply).toMatchObject({ ok: true });
      if (!reply.ok) return;
      expect(channels[channel].response.safeParse(reply.value).error).toBeUndefined();
    });

    it(`${channel}: invalid payloads get a typed InvalidRequestError, never a throw`, async () => {
      for (const payload of cases[channel].invalid) {
        const reply = await backend.dispatch(channel, payload);
        expect(reply.ok, JSON.stringify(payload)).toBe(false);
        if (reply.ok) continue;
        expect(reply.error.type).toBe('InvalidRequestError');
        expect(reply.error.message).toContain(channel);
      }
    });
  }

  it('answers an unknown channel, including prototype names, with InvalidRequestError', async () => {
    for (const channel of ['nope', '__proto__', 'constructor', 'toString']) {
      const reply = await backend.dispatch(channel, {});
      expect(reply).toEqual({ ok: false, error: { type: 'InvalidRequestError', message: expect.stringContaining('unknown channel') } });
    }
  });

  it('maps workspace failures to their typed errors', async () => {
    expect(await backend.dispatch('workspace.read', { name: 'missing.js' })).toMatchObject({ ok: false, error: { type: 'NotFoundError' } });
    await backend.dispatch('workspace.write', { name: 'b.js', content: '' });
    expect(await backend.dispatch('workspace.rename', { from: 'a.js', to: 'b.js' })).toMatchObject({ ok: false, error: { type: 'ConflictError' } });
  });

  it('fills the limits the renderer left out from the settings', async () => {
    await backend.dispatch('settings.set', { timeoutMs: 1234, memoryLimitMb: 64, cpuLimitMs: 99, reuseContext: true });
    await backend.dispatch('run', { code: 'x' });
    expect(engine.runs.at(-1)?.request).toMatchObject({ timeoutMs: 1234, memoryLimitMb: 64, cpuLimitMs: 99, reuseContext: true });
    await backend.dispatch('run', { code: 'x', timeoutMs: 7, reuseContext: false });
    expect(engine.runs.at(-1)?.request).toMatchObject({ timeoutMs: 7, reuseContext: false });
  });

  it("resolves a run's imports from the workspace it serves, whatever the page sends", async () => {
    await backend.dispatch('run', { code: 'x', modules: { dir: '/', root: '/' } });
    expect(engine.runs.at(-1)?.request.modules).toEqual({ dir: join(dir, 'ws'), root: join(dir, 'ws') });
    await backend.dispatch('leak', { code: 'x', modules: { dir: '/', root: '/' } });
    expect(engine.leaks.at(-1)?.request.modules).toEqual({ dir: join(dir, 'ws'), root: join(dir, 'ws') });
  });

  it('adds a package with npm in the workspace folder, streaming its output, and lists it', async () => {
    const reply = await backend.dispatch('packages.add', { spec: 'left-pad@1', installId: 'i7' });
    expect(reply).toMatchObject({ ok: true, value: { ok: true, exitCode: 0, message: expect.stringMatching(/^Installed left-pad@1 in /) } });
    expect(reply.ok && reply.value).toMatchObject({ packages: [{ name: 'left-pad', version: '1.2.3', description: 'a fake package', direct: true }] });
    const output = events.filter((e) => e.type === 'packageInstall');
    expect(output.every((e) => e.installId === 'i7')).toBe(true);
    expect(output.map((e) => e.text).join('')).toContain('install --ignore-scripts --no-audit --no-fund --loglevel=http left-pad@1');
    expect(await backend.dispatch('packages.list', {})).toMatchObject({ ok: true, value: { packages: [{ name: 'left-pad', version: '1.2.3' }] } });
  });

  it('uses the run id the renderer chose, so it can cancel before the result arrives', async () => {
    const reply = backend.dispatch('run', { code: 'hang', runId: 'mine', timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await backend.dispatch('cancel', { runId: 'mine' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await reply).toMatchObject({ ok: true, value: { runId: 'mine', ok: false, error: { type: 'CancelledError' } } });
    expect(await backend.dispatch('cancel', { runId: 'mine' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('announces finished runs and leak profiles as events', async () => {
    await backend.dispatch('run', { code: 'x', runId: 'r1' });
    await backend.dispatch('leak', { code: 'x', runId: 'l1' });
    expect(events.map((e) => e.type)).toEqual(['runFinished', 'leakFinished']);
  });

  it("gives a run's result to its caller as the reply only: the finished event is for the other pages", async () => {
    const caller = new Caller(() => undefined);
    const run = await backend.dispatch('run', { code: 'x', runId: 'r1' }, caller);
    const leak = await backend.dispatch('leak', { code: 'x', runId: 'l1' }, caller);
    expect(run).toMatchObject({ ok: true, value: { runId: 'r1' } });
    expect(leak).toMatchObject({ ok: true, value: { runId: 'l1' } });
    expect(emitted.map(({ event, except }) => [event.type, except])).toEqual([
      ['runFinished', caller],
      ['leakFinished', caller],
    ]);
  });

  it('tells the caller which runs it has in flight, so a page that goes away can cancel them', async () => {
    const caller = new Caller((runId) => engine.cancel(runId));
    const reply = backend.dispatch('run', { code: 'hang', runId: 'mine', timeoutMs: 60_000 }, caller);
    await vi.waitFor(() => expect(caller.runIds).toEqual(['mine']));
    caller.cancelRuns();
    expect(await reply).toMatchObject({ ok: true, value: { error: { type: 'CancelledError' } } });
    expect(caller.runIds).toEqual([]);
  });

  it('forwards engine notices and run events once attached, and stops after dispose', async () => {
    backend.attach();
    backend.attach();
    expect(engine.listenerCounts).toEqual({ notices: 1, events: 1 });
    await backend.dispatch('run', { code: 'log:hi', runId: 'r2' });
    engine.crash('killed');
    expect(events).toEqual([
      { type: 'log', runId: 'r2', entry: { level: 'log', text: 'hi', timeMs: 0 } },
      expect.objectContaining({ type: 'runFinished' }),
      { type: 'engine', state: 'restarting', reason: 'killed' },
      { type: 'engine', state: 'ready' },
    ]);
    backend.dispose();
    expect(engine.listenerCounts).toEqual({ notices: 0, events: 0 });
  });

  it('maps notices to engine events', () => {
    expect(noticeToEvent({ type: 'hostStarted', pid: 1 })).toEqual({ type: 'engine', state: 'ready' });
    expect(noticeToEvent({ type: 'hostExited', pid: 1, reason: 'SIGKILL', restarting: true })).toEqual({ type: 'engine', state: 'restarting', reason: 'SIGKILL' });
  });

  it('settings.get starts from the defaults', async () => {
    expect(await backend.dispatch('settings.get', {})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });
});
