/**
 * Debugging through a real engine host: a Chrome DevTools Protocol session relayed by EngineClient,
 * the way DevTools (isolab run --inspect) and the IDE's debugger use it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import { DebugSession, untilDebuggable } from '../support/debug-session.ts';

let engine: EngineClient;
beforeAll(async () => {
  engine = await EngineClient.start({ host: { poolSize: 1 } });
});
afterAll(() => engine.close());

let n = 0;
/** Starts a debugged run that waits for the debugger; resolves once the session can talk to it. */
async function debugRun(code: string, options: { timeoutMs?: number; language?: 'typescript'; stopOnEntry?: boolean } = {}) {
  const runId = `debug-${++n}`;
  const session = new DebugSession(engine, runId);
  const result = engine.run(
    { code, ...(options.language ? { language: options.language } : {}), timeoutMs: options.timeoutMs ?? 10_000, debug: { waitForDebugger: true, ...(options.stopOnEntry ? { stopOnEntry: true } : {}) } },
    { runId, onEvent: session.onEvent },
  );
  await untilDebuggable(session);
  await session.send('Debugger.enable');
  return { session, result, runId };
}

const lineOf = (paused: Record<string, any>) => paused.callFrames[0].location.lineNumber + 1;

describe('the debugger', () => {
  it('stops at a breakpoint on the right line, evaluates, shows scopes, steps, and the run returns its value', async () => {
    const { session, result } = await debugRun('const a = 1;\nconst b = 2;\nconst c = a + b;\nconst d = c * 10;\nd');
    await session.send('Debugger.setBreakpointByUrl', { url: 'script.js', lineNumber: 2 });
    const paused = session.next('Debugger.paused');
    await session.send('Runtime.runIfWaitingForDebugger');
    const p = await paused;
    expect(lineOf(p)).toBe(3);
    const frame = p.callFrames[0];
    expect((await session.send('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: 'a + b' })).result.value).toBe(3);
    const local = frame.scopeChain.find((s: any) => s.type === 'local' || s.type === 'block');
    const props = await session.send('Runtime.getProperties', { objectId: local.object.objectId });
    expect(props.result.map((x: any) => x.name)).toEqual(expect.arrayContaining(['a', 'b']));
    const stepped = session.next('Debugger.paused');
    await session.send('Debugger.stepOver');
    expect(lineOf(await stepped)).toBe(4);
    await session.send('Debugger.resume');
    expect((await result).value).toBe(30);
  });

  it('maps TypeScript lines to the source as written', async () => {
    const { session, result } = await debugRun('const a: number = 1;\ninterface P { x: number }\nconst p: P = { x: a };\np.x + 1', { language: 'typescript' });
    await session.send('Debugger.setBreakpointByUrl', { url: 'script.ts', lineNumber: 2 });
    const paused = session.next('Debugger.paused');
    await session.send('Runtime.runIfWaitingForDebugger');
    expect(lineOf(await paused)).toBe(3);
    await session.send('Debugger.resume');
    expect((await result).value).toBe(2);
  });

  it('stops on the first line with stopOnEntry, and on debugger statements', async () => {
    const { session, result } = await debugRun('let x = 1;\nx++;\ndebugger;\nx', { stopOnEntry: true });
    const entry = session.next('Debugger.paused');
    await session.send('Runtime.runIfWaitingForDebugger');
    expect(lineOf(await entry)).toBe(1);
    const atStatement = session.next('Debugger.paused');
    await session.send('Debugger.resume');
    expect(lineOf(await atStatement)).toBe(3);
    await session.send('Debugger.resume');
    expect((await result).value).toBe(2);
  });

  it('keeps a paused run alive far past its timeout, and reports the time paused', async () => {
    const { session, result } = await debugRun('debugger;\n"survived"', { timeoutMs: 200 });
    const paused = session.next('Debugger.paused');
    await session.send('Runtime.runIfWaitingForDebugger');
    await paused;
    await new Promise((r) => setTimeout(r, 1_000));
    await session.send('Debugger.resume');
    const r = await result;
    expect(r.value).toBe('survived');
    expect(r.pausedMs).toBeGreaterThanOrEqual(900);
  });

  it('ends a paused run at once on Stop', async () => {
    const { session, result, runId } = await debugRun('debugger;\n1');
    const paused = session.next('Debugger.paused');
    await session.send('Runtime.runIfWaitingForDebugger');
    await paused;
    const t = performance.now();
    engine.cancel(runId);
    expect((await result).error?.type).toBe('CancelledError');
    expect(performance.now() - t).toBeLessThan(2_000);
  });

  it('logs from a logpoint (a breakpoint whose condition logs and never stops)', async () => {
    const { session, result } = await debugRun('let total = 0;\nfor (let i = 1; i <= 3; i++) {\n  total += i;\n}\ntotal');
    await session.send('Debugger.setBreakpointByUrl', { url: 'script.js', lineNumber: 2, condition: 'console.log("i is", i), false' });
    await session.send('Runtime.runIfWaitingForDebugger');
    const r = await result;
    expect(r.value).toBe(6);
    expect(r.logs.map((l) => l.text)).toEqual(['i is 1', 'i is 2', 'i is 3']);
  });

  it('pauses on a thrown exception with pause-on-exceptions', async () => {
    const { session, result } = await debugRun('const x = 1;\nthrow new TypeError("boom");');
    await session.send('Debugger.setPauseOnExceptions', { state: 'all' });
    const paused = session.next('Debugger.paused');
    await session.send('Runtime.runIfWaitingForDebugger');
    const p = await paused;
    // V8 reports a throw inside an async function (the script's body is one) as a promise rejection.
    expect(['exception', 'promiseRejection']).toContain(p.reason);
    expect(lineOf(p)).toBe(2);
    await session.send('Debugger.resume');
    expect((await result).error).toMatchObject({ type: 'TypeError', line: 2 });
  });
});

describe('CPU profiles', () => {
  it('name the hot function and its line', async () => {
    const r = await engine.run({ code: 'function hot(n) {\n  let s = 0;\n  for (let i = 0; i < n; i++) s += Math.sqrt(i);\n  return s;\n}\nfor (let k = 0; k < 200; k++) hot(20000);\n1', profile: {} });
    expect(r.ok).toBe(true);
    const hot = r.cpuProfile!.nodes.find((node) => node.callFrame.functionName === 'hot');
    expect(hot?.callFrame.url).toBe('script.js');
    expect(hot!.callFrame.lineNumber + 1).toBe(1);
  });
});

describe('where a stopped run was', () => {
  it('a synchronous loop: busy, at its line', async () => {
    const r = await engine.run({ code: 'let i = 0;\nfunction spin() {\n  for (;;) i++;\n}\nspin();', timeoutMs: 100 });
    expect(r.error).toMatchObject({ type: 'TimeoutError', line: 3, stopped: { state: 'busy' } });
    expect(r.error?.stopped?.frames?.[0]).toMatchObject({ functionName: 'spin', line: 3 });
  });

  it('a CPU limit: busy, at its line', async () => {
    const r = await engine.run({ code: 'let s = 0;\nwhile (true) { s++ }', cpuLimitMs: 50, timeoutMs: 5_000 });
    expect(r.error).toMatchObject({ type: 'CpuLimitError', line: 2, stopped: { state: 'busy' } });
  });

  it('timers that keep firing: waiting, with the line that set them', async () => {
    const r = await engine.run({ code: 'let n = 0;\nfunction tick() { n++; setTimeout(tick, 5); }\ntick();\nawait new Promise(() => {});', timeoutMs: 100 });
    expect(r.error?.stopped?.state).toBe('waiting');
    expect(r.error?.stopped?.waits).toEqual([{ kind: 'timer', delayMs: 5, line: 2, column: 24 }]);
  });

  it('a promise that never settles: waiting', async () => {
    const r = await engine.run({ code: 'const x = 1;\nawait new Promise(() => {});', timeoutMs: 100 });
    expect(r.error?.stopped).toMatchObject({ state: 'waiting', waits: [{ kind: 'promise' }] });
  });
});
