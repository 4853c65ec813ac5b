/**
 * The IDE's debugger: one debugged run at a time, driven through the Chrome DevTools Protocol.
 * Holds what the views show (paused or running, the call stack, the selected frame, watches) in a
 * store; the editor, the Debug panel and the console read it and call these methods.
 *
 * The conversation is the one test/integration/debugger.test.ts holds with a real engine host:
 * the run waits for us (`debug.waitForDebugger`), we enable the domains, set the breakpoints, then
 * let it go with `Runtime.runIfWaitingForDebugger`. CDP lines are 0-based; everything in the store
 * is 1-based, as the editor shows them.
 */
import { createStore, type Store } from '../../state/store.ts';
import { CdpClient, type Params, type SendMessage } from './cdp.ts';
import { cdpCondition, type Breakpoint } from './breakpoints.ts';

export interface RemoteObject {
  type: string;
  subtype?: string;
  className?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  objectId?: string;
}

export interface Scope {
  type: string;
  name: string;
  object: RemoteObject;
}

export interface Frame {
  callFrameId: string;
  functionName: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Frames of other scripts (none today, but V8 may report internals) are not the user's. */
  own: boolean;
  scopes: Scope[];
}

export type PauseOnExceptions = 'none' | 'uncaught' | 'all';

export interface Evaluated {
  expression: string;
  value?: RemoteObject;
  error?: string;
}

export interface DebugState {
  runId: string | null;
  script: string | null;
  status: 'idle' | 'running' | 'paused';
  frames: Frame[];
  selected: number;
  /** Why it paused: 'breakpoint', 'exception', 'step', 'debugger statement'… */
  reason: string | null;
  exception: RemoteObject | null;
  pauseOnExceptions: PauseOnExceptions;
  watches: string[];
  watchValues: Evaluated[];
}

export interface Property {
  name: string;
  value: RemoteObject;
}

const PAUSE_REASONS: Record<string, string> = {
  other: 'breakpoint',
  exception: 'exception',
  promiseRejection: 'promise rejection',
  debugCommand: 'step',
  ambiguous: 'breakpoint',
};

const WATCH_KEY = 'isolab:watches';

export class Debugger {
  readonly store: Store<DebugState>;
  private client: CdpClient | null = null;
  private filename = '';
  private breakpointIds: string[] = [];
  /** Script ids V8 announced, with their URLs: a frame is the user's when its script is the run's file. */
  private scripts = new Map<string, string>();
  private readonly send: (runId: string) => SendMessage;
  private readonly storage: Pick<Storage, 'getItem' | 'setItem'>;

  constructor(send: (runId: string) => SendMessage, storage: Pick<Storage, 'getItem' | 'setItem'>) {
    this.send = send;
    this.storage = storage;
    let watches: string[] = [];
    try {
      const saved = JSON.parse(storage.getItem(WATCH_KEY) ?? '[]') as unknown;
      if (Array.isArray(saved)) watches = saved.filter((w): w is string => typeof w === 'string');
    } catch {
      // No watches, then.
    }
    this.store = createStore<DebugState>({
      runId: null,
      script: null,
      status: 'idle',
      frames: [],
      selected: 0,
      reason: null,
      exception: null,
      pauseOnExceptions: 'none',
      watches,
      watchValues: watches.map((expression) => ({ expression })),
    });
  }

  get active(): boolean {
    return this.store.get().status !== 'idle';
  }

  /** Attaches to a run started with `debug.waitForDebugger`, sets the breakpoints and lets it go. */
  async start(runId: string, script: string, filename: string, breakpoints: readonly Breakpoint[]): Promise<void> {
    this.client?.close();
    const client = new CdpClient({ send: this.send(runId) });
    this.client = client;
    this.filename = filename;
    this.breakpointIds = [];
    this.scripts = new Map();
    this.store.set({ runId, script, status: 'running', frames: [], selected: 0, reason: null, exception: null });
    client.onNotification((method, params) => this.onNotification(client, method, params));
    try {
      await client.send('Runtime.enable');
      await client.send('Debugger.enable');
      await client.send('Debugger.setPauseOnExceptions', { state: this.store.get().pauseOnExceptions });
      await this.setBreakpoints(breakpoints);
      await client.send('Runtime.runIfWaitingForDebugger');
    } catch {
      // The run ended (or failed) before the debugger got to it: its result says why.
    }
  }

  /** Feeds an `inspector` event. */
  receive(runId: string, message: string): void {
    if (runId === this.store.get().runId) this.client?.receive(message);
  }

  /** The run finished: its session is gone. */
  end(runId: string): void {
    if (runId !== this.store.get().runId) return;
    this.client?.close();
    this.client = null;
    this.store.set({ runId: null, status: 'idle', frames: [], selected: 0, reason: null, exception: null });
  }

  /** Replaces the run's breakpoints (they changed while it runs); a run that ended meanwhile has none to replace. */
  async setBreakpoints(breakpoints: readonly Breakpoint[]): Promise<void> {
    await this.replaceBreakpoints(breakpoints).catch(() => undefined);
  }

  private async replaceBreakpoints(breakpoints: readonly Breakpoint[]): Promise<void> {
    const client = this.client;
    if (!client) return;
    const old = this.breakpointIds;
    this.breakpointIds = [];
    await Promise.all(old.map((breakpointId) => client.send('Debugger.removeBreakpoint', { breakpointId }).catch(() => null)));
    for (const bp of breakpoints) {
      const condition = cdpCondition(bp);
      const reply = await client.send('Debugger.setBreakpointByUrl', { url: this.filename, lineNumber: bp.line - 1, ...(condition ? { condition } : {}) });
      if (typeof reply.breakpointId === 'string') this.breakpointIds.push(reply.breakpointId);
    }
  }

  async setPauseOnExceptions(state: PauseOnExceptions): Promise<void> {
    this.store.set({ pauseOnExceptions: state });
    await this.client?.send('Debugger.setPauseOnExceptions', { state }).catch(() => null);
  }

  resume = (): Promise<void> => this.command('Debugger.resume');
  stepOver = (): Promise<void> => this.command('Debugger.stepOver');
  stepInto = (): Promise<void> => this.command('Debugger.stepInto');
  stepOut = (): Promise<void> => this.command('Debugger.stepOut');

  selectFrame(index: number): void {
    const { frames } = this.store.get();
    if (index < 0 || index >= frames.length) return;
    this.store.set({ selected: index });
    void this.refreshWatches();
  }

  /** The properties of a remote object (a scope, an object value), own ones first, as DevTools lists them. */
  async properties(objectId: string): Promise<Property[]> {
    if (!this.client) return [];
    const reply = await this.client.send('Runtime.getProperties', { objectId, ownProperties: true, generatePreview: false });
    const list = (reply.result ?? []) as { name: string; value?: RemoteObject; get?: RemoteObject }[];
    return list
      .filter((p) => p.value !== undefined || p.get !== undefined)
      .map((p) => ({ name: p.name, value: p.value ?? { type: 'accessor', description: '(...)' } }));
  }

  /** Evaluates in the selected frame (the console, watches, hovers). Only while paused. */
  async evaluate(expression: string, options: { sideEffectFree?: boolean } = {}): Promise<Evaluated> {
    const { status, frames, selected } = this.store.get();
    const frame = frames[selected];
    if (!this.client || status !== 'paused' || !frame) return { expression, error: 'not paused' };
    try {
      const reply = await this.client.send('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression, silent: true, generatePreview: false, ...(options.sideEffectFree ? { throwOnSideEffect: true } : {}) });
      if (reply.exceptionDetails) return { expression, error: (reply.result as RemoteObject | undefined)?.description?.split('\n')[0] ?? 'threw' };
      return { expression, value: reply.result as RemoteObject };
    } catch (error) {
      return { expression, error: (error as Error).message };
    }
  }

  addWatch(expression: string): void {
    if (!expression.trim()) return;
    this.saveWatches([...this.store.get().watches, expression.trim()]);
  }

  removeWatch(index: number): void {
    this.saveWatches(this.store.get().watches.filter((_, i) => i !== index));
  }

  private saveWatches(watches: string[]): void {
    this.store.set({ watches, watchValues: watches.map((expression) => ({ expression })) });
    try {
      this.storage.setItem(WATCH_KEY, JSON.stringify(watches));
    } catch {
      // Kept for this tab only.
    }
    void this.refreshWatches();
  }

  private async refreshWatches(): Promise<void> {
    const { watches } = this.store.get();
    const values = await Promise.all(watches.map((w) => this.evaluate(w)));
    if (this.store.get().watches === watches) this.store.set({ watchValues: values });
  }

  private async command(method: string): Promise<void> {
    if (this.store.get().status !== 'paused') return;
    await this.client?.send(method).catch(() => null);
  }

  private onNotification(client: CdpClient, method: string, params: Params): void {
    if (client !== this.client) return;
    if (method === 'Debugger.scriptParsed') {
      this.scripts.set(params.scriptId as string, (params.url as string) ?? '');
    } else if (method === 'Debugger.paused') {
      const frames = (params.callFrames as Params[]).map((f) => toFrame(f, this.scripts.get(f.location.scriptId) ?? f.url ?? '', this.filename));
      // Start on the innermost frame of the user's script (V8 may report internal frames above it).
      const selected = Math.max(0, frames.findIndex((f) => f.own));
      const reason = params.hitBreakpoints?.length ? 'breakpoint' : (PAUSE_REASONS[params.reason as string] ?? String(params.reason));
      this.store.set({ status: 'paused', frames, selected, reason, exception: reason === 'exception' || reason === 'promise rejection' ? (params.data as RemoteObject) : null });
      void this.refreshWatches();
    } else if (method === 'Debugger.resumed') {
      this.store.set({ status: 'running', frames: [], selected: 0, reason: null, exception: null });
    }
  }
}

function toFrame(f: Params, url: string, filename: string): Frame {
  return {
    callFrameId: f.callFrameId,
    functionName: f.functionName || '(anonymous)',
    line: f.location.lineNumber + 1,
    column: (f.location.columnNumber ?? 0) + 1,
    own: url === filename,
    scopes: (f.scopeChain as Params[]).map((s) => ({ type: s.type, name: s.name ?? '', object: s.object })),
  };
}
