/**
 * The debugger's conversation with a run, against a scripted stand-in for the engine: what it sends,
 * in which order, and how replies and notifications become the state the views show.
 */
import { describe, expect, it } from 'vitest';
import { Debugger } from '../../../../../renderer/src/features/debugger/debugger.ts';

type Message = { id: number; method: string; params: Record<string, any> };

function setup(reply: (m: Message) => unknown = () => ({})) {
  const sent: Message[] = [];
  const storage = new Map<string, string>();
  let dbg!: Debugger;
  dbg = new Debugger(
    (runId) => async (text) => {
      const m = JSON.parse(text) as Message;
      sent.push(m);
      queueMicrotask(() => dbg.receive(runId, JSON.stringify({ id: m.id, result: reply(m) })));
      return true;
    },
    { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  );
  return { dbg, sent, storage };
}

const frame = (id: string, fn: string, line: number, scriptId = '7') => ({
  callFrameId: id,
  functionName: fn,
  location: { scriptId, lineNumber: line - 1, columnNumber: 2 },
  scopeChain: [{ type: 'local', object: { type: 'object', objectId: `${id}-local` } }],
});

describe('the IDE debugger', () => {
  it('enables the domains, sets breakpoints (logpoints as conditions) on user lines, then lets the run go', async () => {
    const { dbg, sent } = setup((m) => (m.method === 'Debugger.setBreakpointByUrl' ? { breakpointId: `bp${m.id}` } : {}));
    await dbg.start('r1', 'a.js', 'a.js', [{ line: 3 }, { line: 5, logMessage: 'x={x}' }]);
    expect(sent.map((m) => m.method)).toEqual([
      'Runtime.enable',
      'Debugger.enable',
      'Debugger.setPauseOnExceptions',
      'Debugger.setBreakpointByUrl',
      'Debugger.setBreakpointByUrl',
      'Runtime.runIfWaitingForDebugger',
    ]);
    expect(sent[3]!.params).toEqual({ url: 'a.js', lineNumber: 2 });
    expect(sent[4]!.params).toEqual({ url: 'a.js', lineNumber: 4, condition: 'console.log(`x=${x}`), false' });
    expect(dbg.store.get().status).toBe('running');
  });

  it('shows a pause with 1-based lines, starts on the innermost user frame, steps, and ends with the run', async () => {
    const { dbg, sent } = setup((m) => (m.method === 'Debugger.evaluateOnCallFrame' ? { result: { type: 'number', value: 3, description: '3' } } : {}));
    await dbg.start('r1', 'a.js', 'a.js', []);
    dbg.receive('r1', JSON.stringify({ method: 'Debugger.scriptParsed', params: { scriptId: '7', url: 'a.js' } }));
    dbg.receive('r1', JSON.stringify({ method: 'Debugger.scriptParsed', params: { scriptId: '3', url: 'isolab:guest' } }));
    dbg.addWatch('a + b');
    dbg.receive('r1', JSON.stringify({ method: 'Debugger.paused', params: { reason: 'other', hitBreakpoints: ['bp'], callFrames: [frame('f0', 'inner', 900, '3'), frame('f1', 'sq', 2), frame('f2', '', 7)] } }));
    let s = dbg.store.get();
    expect(s.status).toBe('paused');
    expect(s.reason).toBe('breakpoint');
    expect(s.frames.map((f) => [f.functionName, f.line, f.own])).toEqual([['inner', 900, false], ['sq', 2, true], ['(anonymous)', 7, true]]);
    expect(s.selected).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(dbg.store.get().watchValues).toEqual([{ expression: 'a + b', value: { type: 'number', value: 3, description: '3' } }]);
    expect(sent.find((m) => m.method === 'Debugger.evaluateOnCallFrame')!.params).toMatchObject({ callFrameId: 'f1', expression: 'a + b' });

    await dbg.stepOver();
    expect(sent.at(-1)!.method).toBe('Debugger.stepOver');
    dbg.receive('r1', JSON.stringify({ method: 'Debugger.resumed', params: {} }));
    s = dbg.store.get();
    expect(s.status).toBe('running');
    const before = sent.length;
    await dbg.stepInto();
    expect(sent.length).toBe(before); // Not paused: nothing to step.
    dbg.receive('other-run', JSON.stringify({ method: 'Debugger.paused', params: { callFrames: [] } }));
    expect(dbg.store.get().status).toBe('running');
    dbg.end('r1');
    expect(dbg.store.get()).toMatchObject({ status: 'idle', runId: null, frames: [] });
    expect(await dbg.evaluate('x')).toEqual({ expression: 'x', error: 'not paused' });
  });

  it('keeps watch expressions across sessions', () => {
    const { dbg, storage } = setup();
    dbg.addWatch(' total ');
    dbg.addWatch('');
    dbg.addWatch('i * 2');
    dbg.removeWatch(0);
    expect(JSON.parse(storage.get('isolab:watches')!)).toEqual(['i * 2']);
  });
});
