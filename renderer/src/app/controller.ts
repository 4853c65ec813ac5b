/**
 * The IDE's behaviour, apart from how it looks: starting runs, calls and leak profiles, stopping
 * them, folding the backend's event stream into sessions, following engine health and settings.
 * React components read the stores and call these methods; they never talk to the backend.
 */
import { DEFAULT_SETTINGS, ScriptName, type BackendEvent, type PackageInfo, type PolicyView, type Settings } from '../../../engine/common/api.ts';
import type { CallSpec, EngineStatus, RunRequest } from '../../../engine/common/contract.ts';
import type { RunEvent } from '../../../engine/common/protocol.ts';
import { failedLeakReport } from '../../../engine/common/leak.ts';
import { BackendError, type Backend, type ConnectionStatus } from '../backend.ts';
import { languageOf } from '../../../engine/common/script-files.ts';
import { Workspace } from '../features/editor/workspace.ts';
import { ArchiveFlow, type ArchivePlatform } from '../features/archive/archive.ts';
import { NO_POLICY } from '../state/policy.ts';
import { ideRecord, LiveMode } from '../features/live/live-mode.ts';
import { systemClock } from '../../../engine/common/clock.ts';
import {
  addToHistory,
  applyEvents,
  failedResult,
  finishLeak,
  finishRun,
  newSession,
  type HistoryEntry,
  type RunKind,
  type RunSession,
} from '../state/session.ts';
import { createStore, type Store } from '../state/store.ts';
import { Breakpoints } from '../features/debugger/breakpoints.ts';
import { Debugger } from '../features/debugger/debugger.ts';
import { describe as describeRemote } from '../features/debugger/remote-value.ts';
import { toEncoded } from '../features/debugger/remote-value.ts';
import type { LogEntry } from '../../../engine/common/contract.ts';

type MenuAction = Extract<BackendEvent, { type: 'menu' }>['action'];

export type PanelId = 'console' | 'debug' | 'profile' | 'result' | 'timing' | 'heap' | 'leaks' | 'packages' | 'engine';

/** How a run is made: plainly, under the debugger, or with the CPU profiler. */
export type RunMode = 'run' | 'debug' | 'profile';

export interface RunsState {
  /** The session on screen: the most recently started one. */
  current: RunSession | null;
  /** Run ids still executing. */
  running: string[];
  history: HistoryEntry[];
}

export interface EngineState {
  status: EngineStatus | null;
  /** From the backend's `engine` events: the host went away and is coming back. */
  restarting: boolean;
  restartReason: string | null;
  /** The last time an engine host was replaced, and why: a warm spare makes the restart itself too short to see. */
  lastRestart: { reason: string; at: number } | null;
  connection: ConnectionStatus;
}

export interface UiState {
  panel: PanelId;
  /** A settings change the backend refused (a team policy lock, a maximum), until the next change. */
  settingsError: string | null;
  /** A line the editor should show and select (a call-stack frame, a wait, a profiled function). */
  reveal: { script: string; line: number; at: number } | null;
}

/** A place in a script the editor should show (a retainer path's line, clicked in the Leaks panel). */
export interface RevealRequest {
  script: string;
  line: number;
  column: number;
  /** Distinguishes two requests for the same place (the second click still moves the cursor back). */
  seq: number;
}

/** The workspace's packages (Packages panel) and the Add package… install in progress or last done. */
export interface PackagesState {
  /** Null until first loaded. */
  list: PackageInfo[] | null;
  loadError: string | null;
  install: {
    installId: string;
    spec: string;
    running: boolean;
    /** npm's output so far (the last 256 KB). */
    output: string;
    result: { ok: boolean; message: string } | null;
  } | null;
}

const MAX_INSTALL_OUTPUT = 256 * 1024;

/** An error's file that is a workspace script (not a package file), which the editor can open. */
export function scriptOfError(file: string | undefined): string | null {
  return file !== undefined && ScriptName.safeParse(file).success ? file : null;
}

const STATUS_POLL_MS = 2000;
const HEAP_INTERVAL_MS = 50;

let runCounter = 0;
function newRunId(): string {
  runCounter += 1;
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  return `ui-${Date.now().toString(36)}-${runCounter}-${random}`;
}

export function describeCall(call: CallSpec): string {
  return `${call.name}(${(call.args ?? []).map((a) => JSON.stringify(a)).join(', ')})`;
}

export class Controller {
  readonly backend: Backend;
  readonly workspace: Workspace;
  readonly runs: Store<RunsState> = createStore<RunsState>({ current: null, running: [], history: [] });
  readonly engine: Store<EngineState>;
  readonly settings: Store<Settings> = createStore<Settings>({ ...DEFAULT_SETTINGS });
  readonly ui: Store<UiState> = createStore<UiState>({ panel: 'console', settingsError: null, reveal: null });
  /** The team policy in force (nothing locked until the backend says otherwise). */
  readonly policy: Store<PolicyView> = createStore<PolicyView>(NO_POLICY);
  readonly archive: ArchiveFlow;
  /** Live mode and the inline values of every script's latest run. */
  readonly live: LiveMode;
  readonly reveal: Store<{ request: RevealRequest | null }> = createStore<{ request: RevealRequest | null }>({ request: null });
  /** The function the last leak profile called, if any: Explain profiles the same thing again. */
  private lastLeakCall: CallSpec | undefined;
  readonly breakpoints: Breakpoints;
  readonly debugger: Debugger;
  readonly packages: Store<PackagesState> = createStore<PackagesState>({ list: null, loadError: null, install: null });
  private readonly sessions = new Map<string, RunSession>();
  private pendingEvents: RunEvent[] = [];
  private flushScheduled = false;
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private settingsTimer: ReturnType<typeof setTimeout> | null = null;
  /** performance.now() of the last Run click, for the paint-latency measurement. */
  runClickedAt: number | null = null;
  /** performance.now() of the last Debug press, for the time-to-first-pause measurement. */
  debugClickedAt: number | null = null;

  constructor(backend: Backend, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, files: ArchivePlatform) {
    this.backend = backend;
    this.workspace = new Workspace(backend, storage);
    this.archive = new ArchiveFlow({ backend, workspace: this.workspace, platform: files, reloadSettings: () => this.reloadSettings() });
    this.breakpoints = new Breakpoints(storage);
    this.debugger = new Debugger(
      (runId) => async (message) => (await this.backend.call('inspect', { runId, message })).sent,
      storage,
    );
    this.engine = createStore<EngineState>({ status: null, restarting: false, restartReason: null, lastRestart: null, connection: backend.connection() });
    this.live = new LiveMode({
      run: (request) => this.backend.call('run', request),
      cancel: (runId) => this.cancel(runId),
      settings: () => this.settings.get(),
      language: languageOf,
      storage,
      clock: systemClock,
    });
  }

  async start(): Promise<void> {
    this.backend.onEvent((event) => {
      switch (event.type) {
        case 'log':
        case 'heap':
        case 'leakProgress':
        case 'restarted':
          if (!this.sessions.has(event.runId)) return;
          this.pendingEvents.push(event);
          this.scheduleFlush();
          return;
        case 'inspector':
          this.debugger.receive(event.runId, event.message);
          return;
        case 'runFinished':
          this.settleRun(event.runId, event.result);
          return;
        case 'leakFinished':
          this.settleLeak(event.runId, event.report);
          return;
        case 'engine':
          this.engine.set({
            restarting: event.state === 'restarting',
            restartReason: event.reason ?? null,
            ...(event.state === 'restarting' ? { lastRestart: { reason: event.reason ?? 'unknown reason', at: Date.now() } } : {}),
          });
          void this.refreshStatus();
          return;
        case 'menu':
          this.onMenu(event.action);
          return;
        case 'packageInstall':
          this.onInstallOutput(event.installId, event.text);
          return;
        case 'archiveProgress':
          this.archive.onProgress(event);
          return;
      }
    });
    this.backend.onConnection((connection) => {
      this.engine.set({ connection });
      if (connection.state === 'connected') void this.refreshStatus();
    });
    this.statusTimer = setInterval(() => void this.refreshStatus(), STATUS_POLL_MS);
    const settings = this.reloadSettings().catch(() => {});
    // Wanted before the first paint of the settings, and for the welcome script of an empty workspace.
    const policy = this.backend.call('policy.get', {}).catch(() => NO_POLICY);
    void policy.then((view) => this.policy.set(view));
    await Promise.all([this.workspace.load(policy.then((view) => view.welcome)), settings, this.refreshStatus()]);
    this.breakpoints.load(this.workspace.store.get().dir);
  }

  dispose(): void {
    if (this.statusTimer) clearInterval(this.statusTimer);
  }

  menuHandlers: Partial<Record<MenuAction, () => void>> = {};

  private onMenu(action: MenuAction): void {
    if (action === 'run') void this.run();
    else if (action === 'debug') this.debugOrContinue();
    else if (action === 'stepOver') void this.debugger.stepOver();
    else if (action === 'stepInto') void this.debugger.stepInto();
    else if (action === 'stepOut') void this.debugger.stepOut();
    else if (action === 'toggleBreakpoint') this.menuHandlers.toggleBreakpoint?.();
    else if (action === 'profileCpu') void this.run(undefined, 'profile');
    else if (action === 'stop') void this.stop();
    else if (action === 'profileLeaks') void this.profileLeaks();
    else if (action === 'save') void this.workspace.flushAll();
    else if (action === 'exportWorkspace') void this.archive.exportWorkspace();
    else if (action === 'importWorkspace') void this.archive.importWorkspace();
    else this.menuHandlers[action]?.();
  }

  async refreshStatus(): Promise<void> {
    try {
      const status = await this.backend.call('status', {});
      this.engine.set((s) => ({ status, restarting: status.state === 'restarting' || (s.restarting && status.state !== 'ready') }));
    } catch {
      // The connection state already tells the user; keep the last known figures.
    }
  }

  // ---- settings ----

  async reloadSettings(): Promise<void> {
    this.settings.set(await this.backend.call('settings.get', {}));
  }

  updateSettings(patch: Partial<Settings>): void {
    this.settings.set(patch);
    this.ui.set({ settingsError: null });
    if (this.settingsTimer) clearTimeout(this.settingsTimer);
    this.settingsTimer = setTimeout(() => {
      this.backend.call('settings.set', this.settings.get()).catch((error: Error) => {
        // Show what is really in force again, and say why the change did not stick.
        this.ui.set({ settingsError: `Setting not saved: ${error.message}` });
        void this.reloadSettings().catch(() => {});
      });
    }, 300);
  }

  private limits(): Pick<RunRequest, 'timeoutMs' | 'memoryLimitMb' | 'cpuLimitMs'> {
    const s = this.settings.get();
    return { timeoutMs: s.timeoutMs, memoryLimitMb: s.memoryLimitMb, ...(s.cpuLimitMs ? { cpuLimitMs: s.cpuLimitMs } : {}) };
  }

  // ---- sessions ----

  private begin(kind: RunKind, label: string, leakIterations?: number): RunSession | null {
    const script = this.workspace.activeName();
    if (!script) return null;
    const session = newSession({ runId: newRunId(), kind, script, label, startedAt: Date.now(), ...(leakIterations ? { leakIterations } : {}) });
    this.sessions.set(session.runId, session);
    this.runs.set((s) => ({ current: session, running: [...s.running, session.runId] }));
    // Keep the file in step with what ran, without making the run wait for the disk.
    void this.workspace.flush(script).catch(() => {});
    return session;
  }

  private update(runId: string, next: RunSession): void {
    this.sessions.set(runId, next);
    this.runs.set((s) => (s.current?.runId === runId ? { current: next } : {}));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const flush = () => {
      this.flushScheduled = false;
      const events = this.pendingEvents;
      this.pendingEvents = [];
      const byRun = new Map<string, RunEvent[]>();
      for (const event of events) {
        const list = byRun.get(event.runId) ?? [];
        list.push(event);
        byRun.set(event.runId, list);
      }
      for (const [runId, list] of byRun) {
        const session = this.sessions.get(runId);
        if (session) this.update(runId, applyEvents(session, list));
      }
    };
    // One React update per frame however fast lines arrive; hidden tabs get no frames, so a timer.
    // Typed structurally: the unit tests compile this module without the DOM library.
    const page = globalThis as { document?: { visibilityState: string }; requestAnimationFrame?: (callback: () => void) => number };
    if (page.document?.visibilityState === 'visible' && page.requestAnimationFrame) page.requestAnimationFrame(flush);
    else setTimeout(flush, 50);
  }

  private settleRun(runId: string, result: import('../../../engine/common/contract.ts').RunResult): void {
    const session = this.sessions.get(runId);
    if (!session || (!session.running && session.result)) return;
    this.debugger.end(runId);
    const done = finishRun(session, result);
    this.update(runId, done);
    this.live.ranScript(session.script, runId, result);
    this.finish(done);
  }

  private settleLeak(runId: string, report: import('../../../engine/common/leak.ts').LeakReport): void {
    const session = this.sessions.get(runId);
    if (!session || (!session.running && session.leak)) return;
    const done = finishLeak(session, report);
    this.update(runId, done);
    this.finish(done);
  }

  private finish(session: RunSession): void {
    this.runs.set((s) => ({
      running: s.running.filter((id) => id !== session.runId),
      history: session.result ? addToHistory(s.history, session, Date.now()) : s.history,
    }));
    // Drop finished sessions that are no longer on screen; their figures live on in history.
    for (const [id, other] of this.sessions) if (id !== this.runs.get().current?.runId && !other.running) this.sessions.delete(id);
    void this.refreshStatus();
  }

  /**
   * The active script runs from the editor's text; the scripts it imports are read from the
   * workspace folder by the engine, so other tabs' unsaved edits are saved first.
   */
  private async saveOtherTabs(script: string): Promise<void> {
    const { open, dirty } = this.workspace.store.get();
    const others = open.filter((name) => name !== script && dirty.has(name));
    if (others.length > 0) await Promise.all(others.map((name) => this.workspace.flush(name).catch(() => {})));
  }

  /** F5: continues a paused run, else starts debugging the active script (unless one is being debugged). */
  debugOrContinue(): void {
    const state = this.debugger.store.get().status;
    if (state === 'paused') void this.debugger.resume();
    else if (state === 'idle') {
      this.debugClickedAt = performance.now();
      void this.run(undefined, 'debug');
    }
  }

  /** Runs the active script, or calls one of its functions; under the debugger or the CPU profiler if asked. */
  async run(call?: CallSpec, mode: RunMode = 'run'): Promise<void> {
    const label = call ? describeCall(call) : (this.workspace.activeName() ?? '');
    const session = this.begin(call ? 'call' : 'run', label);
    if (!session) return;
    const { runId, script } = session;
    await this.saveOtherTabs(script);
    const s = this.settings.get();
    const panel = this.ui.get().panel;
    if (mode === 'profile') this.ui.set({ panel: 'profile' });
    else if (mode === 'debug') this.ui.set({ panel: 'debug' });
    else if (panel === 'leaks' || panel === 'engine' || panel === 'profile' || panel === 'debug') this.ui.set({ panel: 'console' });
    if (mode === 'debug') void this.debugger.start(runId, script, script, this.breakpoints.of(script));
    const code = this.workspace.text(script);
    const request = {
      runId,
      code,
      language: languageOf(script),
      filename: script,
      reuseContext: s.reuseContext,
      ...this.limits(),
      ...(call ? { call } : {}),
      ...(mode === 'debug' ? { debug: { waitForDebugger: true } } : {}),
      ...(mode === 'profile' ? { profile: {} } : {}),
      stream: { logs: true, heap: true, heapIntervalMs: HEAP_INTERVAL_MS },
      // Debugged and profiled runs run the code as written: no recording insertions to step through or to time.
      ...(mode === 'run' ? ideRecord(code) : {}),
    };
    try {
      this.settleRun(runId, await this.backend.call('run', request));
    } catch (error) {
      const e = error instanceof BackendError ? error : new BackendError('InternalError', String(error));
      this.settleRun(runId, failedResult(runId, e.type === 'DisconnectedError' ? 'EngineCrashedError' : e.type, e.message, Date.now() - session.startedAt));
    }
  }

  /** `explain`: also take the heap-snapshot explanation when the verdict is not `leak` (a `leak` always gets one). */
  async profileLeaks(call?: CallSpec, options: { explain?: boolean } = {}): Promise<void> {
    this.lastLeakCall = call;
    const iterations = this.settings.get().leakIterations;
    const active = this.workspace.activeName() ?? '';
    const session = this.begin('leak', call ? describeCall(call) : active, iterations);
    if (!session) return;
    this.ui.set({ panel: 'leaks' });
    const { runId, script } = session;
    await this.saveOtherTabs(script);
    const code = this.workspace.text(script);
    const request = {
      runId,
      code,
      language: languageOf(script),
      filename: script,
      iterations,
      ...this.limits(),
      ...(call ? { call } : {}),
      ...(options.explain ? { explain: true } : {}),
    };
    try {
      this.settleLeak(runId, await this.backend.call('leak', request));
    } catch (error) {
      const e = error instanceof BackendError ? error : new BackendError('InternalError', String(error));
      this.settleLeak(runId, failedLeakReport(runId, iterations, e.type, e.message, Date.now() - session.startedAt, session.leakSamples));
    }
  }

  /** Stops everything this window started that is still executing. */
  async stop(): Promise<void> {
    const ids = this.runs.get().running;
    for (const id of ids) {
      const session = this.sessions.get(id);
      if (session) this.update(id, { ...session, cancelRequested: true });
    }
    await Promise.all(ids.map((runId) => this.backend.call('cancel', { runId }).catch(() => null)));
  }

  cancel(runId: string): void {
    void this.backend.call('cancel', { runId }).catch(() => null);
  }

  /** Profiles the last leak subject again, explained. */
  explainLeaks(): Promise<void> {
    return this.profileLeaks(this.lastLeakCall, { explain: true });
  }

  /**
   * Opens `script` in the editor at the line: a retainer path's step, an allocation site, a
   * call-stack frame, a wait, a profiled function, an error's place (in an imported file too, whose
   * tab may not be open yet). (The leak view and the debugger each follow one of the two stores
   * this sets.)
   */
  revealLine(script: string, line: number, column = 1): void {
    const show = () => {
      this.reveal.set({ request: { script, line, column, seq: (this.reveal.get().request?.seq ?? 0) + 1 } });
      this.ui.set({ reveal: { script, line, at: Date.now() } });
    };
    if (this.workspace.store.get().open.includes(script)) {
      if (this.workspace.activeName() !== script) this.workspace.activate(script);
      show();
    } else {
      this.workspace.open(script).then(show, () => {});
    }
  }

  showPanel(panel: PanelId): void {
    this.ui.set({ panel });
    if (panel === 'packages' && this.packages.get().list === null) void this.refreshPackages();
  }

  // ---- packages ----

  async refreshPackages(): Promise<void> {
    try {
      const { packages } = await this.backend.call('packages.list', {});
      this.packages.set({ list: packages, loadError: null });
    } catch (error) {
      this.packages.set({ loadError: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Add package…: the backend runs npm in the workspace folder; its output streams in as events. */
  async addPackage(spec: string): Promise<void> {
    const installId = newRunId();
    this.packages.set({ install: { installId, spec, running: true, output: '', result: null } });
    let result: { ok: boolean; message: string };
    try {
      const reply = await this.backend.call('packages.add', { spec, installId });
      this.packages.set({ list: reply.packages, loadError: null });
      result = { ok: reply.ok, message: reply.message };
    } catch (error) {
      result = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    this.packages.set((s) => (s.install?.installId === installId ? { install: { ...s.install, running: false, result } } : {}));
  }

  private onInstallOutput(installId: string, text: string): void {
    this.packages.set((s) => (s.install?.installId === installId ? { install: { ...s.install, output: (s.install.output + text).slice(-MAX_INSTALL_OUTPUT) } } : {}));
  }


  /** The console's input while paused: evaluates in the selected frame and prints both lines. */
  async evaluateInConsole(expression: string): Promise<void> {
    const runId = this.debugger.store.get().runId;
    const session = runId ? this.sessions.get(runId) : undefined;
    if (!session || !expression.trim()) return;
    const evaluated = await this.debugger.evaluate(expression);
    const timeMs = Date.now() - session.startedAt;
    const entries: LogEntry[] = [{ level: 'debug', text: `> ${expression}`, timeMs }];
    if (evaluated.value) entries.push({ level: 'log', text: describeRemote(evaluated.value), timeMs, args: [toEncoded(evaluated.value)] });
    else entries.push({ level: 'error', text: evaluated.error ?? 'failed', timeMs });
    const current = this.sessions.get(session.runId);
    if (current) this.update(session.runId, { ...current, logs: [...current.logs, ...entries], version: current.version + 1 });
  }
}
