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
import { MANIFEST_NAME } from '../../../../engine/workspace/archive.ts';
import { FakeEngine } from '../../../support/fake-engine.ts';
import { rawZip } from '../../../support/raw-zip.ts';

/** A well-formed workspace archive of one script, as web mode sends it. */
const archiveData = rawZip([
  { name: MANIFEST_NAME, data: JSON.stringify({ format: 'isolab-workspace', version: 1, exportedAt: '2026-01-01T00:00:00Z', scripts: ['imported.js'] }) },
  { name: 'scripts/imported.js', data: 'return 1' },
]).toString('base64');

/**
 * One valid payload and several invalid ones per channel. `satisfies Record<ChannelName, …>` makes
 * the type check fail when a channel is added to the contract without a contract test here.
 */
/** Call arguments nested far deeper than the contract's JSON depth (zod's z.json() would overflow the stack). */
const deepArgs = (() => {
  let value: unknown = [];
  for (let i = 0; i < 100_000; i++) value = [value];
  return [value];
})();

/** A short name for a payload in a failure message (the deep one cannot even be stringified). */
function label(payload: unknown): string {
  try {
    return String(JSON.stringify(payload)).slice(0, 120);
  } catch {
    return '(nested too deep to print)';
  }
}

const cases = {
  run: {
    valid: { code: 'return 1', timeoutMs: 50 },
    invalid: [
      {},
      { code: 1 },
      { code: 'x', timeoutMs: -1 },
      { code: 'x', memoryLimitMb: 1 },
      { code: 'x', runId: '' },
      null,
      // Unknown fields, at the top and nested: a misspelled limit must not run with the default.
      { code: 'x', timeoutMS: 200 },
      { code: 'x', call: { name: 'f', argz: [] } },
      { code: 'x', stream: { log: true } },
      { code: 'x', call: { name: 'f', args: deepArgs } },
      // 16 MiB is counted in UTF-8 bytes, as the CLI counts a file: 8 Mi + 1 "é" are 16 MiB + 2 bytes.
      { code: 'é'.repeat(8 * 1024 * 1024 + 1) },
    ],
  },
  leak: { valid: { code: 'x', iterations: 5 }, invalid: [{ code: 'x', iterations: 1 }, { iterations: 5 }, 'code', { code: 'x', iteration: 5 }, { code: 'x', call: { name: 'f', args: deepArgs } }] },
  cancel: { valid: { runId: 'r1' }, invalid: [{}, { runId: '' }, { runId: 7 }, { runId: 'r1', force: true }] },
  inspect: {
    valid: { runId: 'r1', message: '{"id":1,"method":"Debugger.enable"}' },
    invalid: [{ runId: 'r1' }, { message: '{}' }, { runId: '', message: '{}' }, { runId: 'r1', message: '' }, { runId: 'r1', message: 'x'.repeat(1024 * 1024 + 1) }],
  },
  status: { valid: {}, invalid: [{ extra: 1 }, null, []] },
  'workspace.info': { valid: {}, invalid: [{ dir: '/etc' }] },
  'workspace.list': { valid: {}, invalid: [{ all: true }, 'x'] },
  'workspace.read': { valid: { name: 'a.js' }, invalid: [{}, { name: '../a.js' }, { name: 'a.exe' }, { name: '.a.js' }, { name: 'a.js', encoding: 'latin1' }] },
  'workspace.write': {
    valid: { name: 'b.js', content: 'x' },
    invalid: [{ name: 'b.js' }, { name: 'dir/b.js', content: '' }, { name: 'b.js', content: 5 }, { name: 'b.js', content: 'x', mode: 0o777 }, { name: 'b.js', content: 'é'.repeat(8 * 1024 * 1024 + 1) }],
  },
  'workspace.rename': { valid: { from: 'a.js', to: 'c.ts' }, invalid: [{ from: 'a.js' }, { from: 'a.js', to: '/tmp/c.ts' }, { from: 'a.js', to: 'c.ts', overwrite: true }] },
  'workspace.delete': { valid: { name: 'a.js' }, invalid: [{ name: 'C:\\a.js' }, { name: '' }, { name: 'a.js', force: true }] },
  'packages.list': { valid: {}, invalid: [{ all: 1 }, 'x'] },
  'packages.add': {
    valid: { spec: 'date-fns@^4.1', installId: 'i1' },
    invalid: [{ spec: '--global', installId: 'i' }, { spec: '../evil', installId: 'i' }, { spec: 'git+https://h/x.git', installId: 'i' }, { spec: 'a b', installId: 'i' }, { spec: 'file:../x', installId: 'i' }, { spec: 'x@1 || 2', installId: 'i' }, { spec: 'x' }, { spec: 'x', installId: 'i', global: true }],
  },
  'settings.get': { valid: {}, invalid: [{ theme: 'dark' }] },
  'settings.set': { valid: { theme: 'dark', timeoutMs: 5000 }, invalid: [{ theme: 'neon' }, { timeoutMs: 0 }, { memoryLimitMb: 'big' }, 'dark', { timeoutMS: 5000 }] },
  'policy.get': { valid: {}, invalid: [{ file: '/etc/isolab/policy.json' }, null] },
  'workspace.export': { valid: { via: 'bytes', operationId: 'op-1' }, invalid: [{}, { via: 'disk' }, { via: 'bytes', to: '/tmp/x.zip' }, { via: 'bytes', operationId: '' }, { via: 'bytes', settings: 'yes' }] },
  'workspace.import': {
    valid: { from: { via: 'bytes', fileName: 'team.zip', data: archiveData } },
    invalid: [
      {},
      { from: { via: 'disk', path: '/tmp/x.zip' } },
      { from: { via: 'bytes', fileName: 'team.zip', data: 'not base64!' } },
      { from: { via: 'bytes', fileName: 'team.zip', data: 'QUJDRA' } },
      { from: { via: 'bytes', fileName: '', data: archiveData } },
      { from: { via: 'dialog', path: '/etc/passwd' } },
    ],
  },
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
        expect(reply.ok, label(payload)).toBe(false);
        if (reply.ok) continue;
        expect(reply.error.type).toBe('InvalidRequestError');
        expect(reply.error.message).toContain(channel);
      }
    });
  }

  it('names unknown fields and the field meant, and says when arguments are nested too deep', async () => {
    const misspelled = await backend.dispatch('run', { code: 'return 1', timeoutMS: 200 });
    expect(misspelled).toEqual({ ok: false, error: { type: 'InvalidRequestError', message: 'invalid run request: payload: unknown field "timeoutMS" (did you mean "timeoutMs"?)' } });
    const nested = await backend.dispatch('run', { code: 'x', call: { nmae: 'f', name: 'f' } });
    expect(nested.ok === false && nested.error.message).toBe('invalid run request: call: unknown field "nmae" (did you mean "name"?)');
    const deep = await backend.dispatch('run', { code: 'x', call: { name: 'f', args: deepArgs } });
    expect(deep.ok === false && deep.error.message).toBe('invalid run request: call.args: JSON nested deeper than 512 levels (arrays and objects)');
    const big = await backend.dispatch('workspace.write', { name: 'big.js', content: 'é'.repeat(8 * 1024 * 1024 + 1) });
    expect(big.ok === false && big.error.message).toMatch(/content: source is larger than 16 MiB \(UTF-8\)/);
    expect(engine.runs).toHaveLength(0);
  });

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

  it("resolves a run's imports from the workspace it serves; a page that names a module root is refused", async () => {
    // Strict requests: `modules` is not a field a page may send, so it is refused by name, not ignored.
    for (const channel of ['run', 'leak'] as const) {
      const reply = await backend.dispatch(channel, { code: 'x', modules: { dir: '/', root: '/' } });
      expect(reply).toMatchObject({ ok: false, error: { type: 'InvalidRequestError', message: expect.stringContaining('unknown field "modules"') } });
    }
    const runs = engine.runs.length;
    const leaks = engine.leaks.length;
    await backend.dispatch('run', { code: 'x' });
    expect(engine.runs.length).toBe(runs + 1);
    expect(engine.runs.at(-1)?.request.modules).toEqual({ dir: join(dir, 'ws'), root: join(dir, 'ws') });
    await backend.dispatch('leak', { code: 'x' });
    expect(engine.leaks.length).toBe(leaks + 1);
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

  it('applies a cancel that overtook its run (sent right after it, while the run still read the settings)', async () => {
    const reply = backend.dispatch('run', { code: 'hang', runId: 'quick', timeoutMs: 60_000 });
    await backend.dispatch('cancel', { runId: 'quick' });
    expect(await reply).toMatchObject({ ok: true, value: { runId: 'quick', ok: false, error: { type: 'CancelledError' } } });
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

  it("relays a debugger message to the run the page started, and refuses another page's run", async () => {
    const owner = new Caller((runId) => engine.cancel(runId));
    const other = new Caller((runId) => engine.cancel(runId));
    const message = JSON.stringify({ id: 1, method: 'Debugger.enable' });
    const reply = backend.dispatch('run', { code: 'hang', runId: 'dbg', timeoutMs: 60_000, debug: { waitForDebugger: true } }, owner);
    await vi.waitFor(() => expect(owner.owns('dbg')).toBe(true));
    expect(engine.runs.at(-1)?.runId).toBe('dbg');
    expect(engine.runs.at(-1)?.request.debug).toEqual({ waitForDebugger: true });
    expect(await backend.dispatch('inspect', { runId: 'dbg', message }, owner)).toEqual({ ok: true, value: { sent: true } });
    expect(await backend.dispatch('inspect', { runId: 'dbg', message }, other)).toMatchObject({ ok: false, error: { type: 'ForbiddenError' } });
    expect(engine.inspected).toEqual([{ runId: 'dbg', message }]);
    owner.cancelRuns();
    await reply;
    expect(await backend.dispatch('inspect', { runId: 'dbg', message }, owner)).toMatchObject({ ok: false, error: { type: 'ForbiddenError' } });
  });

  it('passes profile requests through and says when the engine does not know a run', async () => {
    await backend.dispatch('run', { code: 'x', runId: 'p1', profile: { samplingIntervalUs: 50 } });
    expect(engine.runs.at(-1)?.request.profile).toEqual({ samplingIntervalUs: 50 });
    expect(await backend.dispatch('inspect', { runId: 'gone', message: '{"id":1}' })).toEqual({ ok: true, value: { sent: false } });
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
