/**
 * The renderer's backend: one handler per channel of the contract table, plus `dispatch`, which
 * validates a raw (channel, payload) pair against the table and always answers with an ApiReply.
 * Electron's IPC router and web mode's WebSocket are both thin transports over this class, so the
 * two front ends cannot drift apart.
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { ApiError, ApiReply, BackendEvent, ChannelName, ChannelResponse, Channels, Settings } from '../common/api.ts';
import { channels } from '../common/api.ts';
import { validationMessage } from '../common/validation.ts';
import type { Engine, EngineNotice } from '../client/api.ts';
import type { SettingsStore } from '../workspace/settings-store.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { WorkspaceError } from '../workspace/errors.ts';
import type { CallContext } from './caller.ts';
import { listPackages, PackageInstaller } from './packages.ts';
import { loadPolicyView } from './policy-view.ts';
import { archiveHandlers, type ArchiveFiles } from './workspace-archive.ts';

export type { CallContext } from './caller.ts';
export type { ArchiveFiles } from './workspace-archive.ts';
export type ParsedRequest<C extends ChannelName> = z.output<Channels[C]['request']>;

export type ChannelHandlers = {
  [C in ChannelName]: (request: ParsedRequest<C>, context: CallContext) => Promise<ChannelResponse<C>>;
};

export interface BackendOptions {
  engine: Engine;
  /** A getter, because Electron can switch to another workspace folder while running. */
  workspace: () => Workspace;
  /** The settings, and through them the team policy in force (`settings.policy`). */
  settings: SettingsStore;
  /**
   * Pushes an event to every connected page, except `except` when given: the page that asked for
   * a run gets its result as the reply, so it must not get it a second time as an event.
   */
  emit: (event: BackendEvent, except?: CallContext) => void;
  newRunId?: () => string;
  /** Runs Add package… installs (tests give one with a stand-in npm). */
  packages?: PackageInstaller;
  /** Native file dialogs for workspace archives (Electron); without them archives travel as bytes. */
  archiveFiles?: ArchiveFiles;
  /** The date in an exported archive's suggested name. */
  now?: () => Date;
}

export class Backend {
  readonly handlers: ChannelHandlers;
  private readonly options: BackendOptions;
  private detach: (() => void) | null = null;

  constructor(options: BackendOptions) {
    this.options = options;
    this.handlers = createHandlers(options);
  }

  /** Forwards engine notices and every run's events to the pages. Idempotent. */
  attach(): void {
    if (this.detach) return;
    const { engine, emit } = this.options;
    const offNotice = engine.onNotice((notice) => emit(noticeToEvent(notice)));
    const offEvent = engine.onEvent((event) => emit(event));
    this.detach = () => {
      offNotice();
      offEvent();
    };
  }

  dispose(): void {
    this.detach?.();
    this.detach = null;
  }

  async dispatch(channel: string, payload: unknown, context: CallContext = {}): Promise<ApiReply> {
    if (!isChannelName(channel)) return failure('InvalidRequestError', `unknown channel ${JSON.stringify(channel)}`);
    try {
      // Inside the try: whatever a payload does to the parser (the contract bounds JSON depth so
      // zod cannot overflow the stack), the caller gets a reply, never a rejection.
      const parsed = channels[channel].request.safeParse(payload);
      if (!parsed.success) return failure('InvalidRequestError', `invalid ${channel} request: ${validationMessage(parsed.error, { whole: 'payload' })}`);
      const handler = this.handlers[channel] as (request: unknown, context: CallContext) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data, context) };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  }
}

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(channels, name);
}

export function noticeToEvent(notice: EngineNotice): BackendEvent {
  if (notice.type === 'hostStarted') return { type: 'engine', state: 'ready' };
  return { type: 'engine', state: 'restarting', reason: notice.reason };
}

/** A call refused for who made it, not for what it asked. */
export class ForbiddenCallError extends Error {
  override readonly name = 'ForbiddenCallError';
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof WorkspaceError) return { type: error.type, message: error.message };
  if (error instanceof ForbiddenCallError) return { type: 'ForbiddenError', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'InternalError', message };
}

function failure(type: ApiError['type'], message: string): ApiReply {
  return { ok: false, error: { type, message } };
}

/** Settings hold the limits the renderer did not set itself. */
function withSettingsDefaults<T extends { timeoutMs?: number; memoryLimitMb?: number; cpuLimitMs?: number }>(request: T, settings: Settings): T {
  return {
    ...request,
    timeoutMs: request.timeoutMs ?? settings.timeoutMs,
    memoryLimitMb: request.memoryLimitMb ?? settings.memoryLimitMb,
    ...(request.cpuLimitMs === undefined && settings.cpuLimitMs !== null ? { cpuLimitMs: settings.cpuLimitMs } : {}),
  };
}

/**
 * Where a run's imports come from: the workspace this backend serves, decided here and never by the
 * page (the channel table has no `modules` field): its scripts import each other and its node_modules.
 */
function moduleScope(workspace: Workspace): { modules: { dir: string; root: string } } {
  return { modules: { dir: workspace.dir, root: workspace.dir } };
}

function createHandlers(options: BackendOptions): ChannelHandlers {
  const { engine, workspace, settings, emit } = options;
  const newRunId = options.newRunId ?? randomUUID;
  const installer = options.packages ?? new PackageInstaller();

  async function tracked<T>(runId: string, context: CallContext, work: () => Promise<T>): Promise<T> {
    context.runStarted?.(runId);
    try {
      return await work();
    } finally {
      context.runEnded?.(runId);
    }
  }

  // A cancel can overtake its run: it arrives while the run handler still reads the settings (live
  // mode cancels a run as soon as the next keystroke comes). Such a cancel is kept, and applied as
  // the run reaches the engine.
  const cancelledEarly = new Set<string>();
  const EARLY_CANCELS = 256;

  return {
    run: async ({ runId: requested, ...request }, context) => {
      const runId = requested ?? newRunId();
      const current = await settings.get();
      const full = { ...withSettingsDefaults(request, current), reuseContext: request.reuseContext ?? current.reuseContext, ...moduleScope(workspace()) };
      const result = await tracked(runId, context, () => {
        const running = engine.run(full, { runId });
        if (cancelledEarly.delete(runId)) engine.cancel(runId);
        return running;
      });
      emit({ type: 'runFinished', runId: result.runId, result }, context);
      return result;
    },
    leak: async ({ runId: requested, ...request }, context) => {
      const runId = requested ?? newRunId();
      const current = await settings.get();
      const full = { ...withSettingsDefaults(request, current), iterations: request.iterations ?? current.leakIterations, ...moduleScope(workspace()) };
      const report = await tracked(runId, context, () => engine.leak(full, { runId }));
      emit({ type: 'leakFinished', runId: report.runId, report }, context);
      return report;
    },
    cancel: async ({ runId }) => {
      const cancelled = engine.cancel(runId);
      if (!cancelled) {
        cancelledEarly.add(runId);
        if (cancelledEarly.size > EARLY_CANCELS) cancelledEarly.delete(cancelledEarly.values().next().value!);
      }
      return { cancelled };
    },
    inspect: async ({ runId, message }, context) => {
      // A page debugs only its own runs: another page's breakpoints and evaluations are not its business.
      if (context.owns && !context.owns(runId)) throw new ForbiddenCallError(`run ${runId} was not started by this page`);
      return { sent: engine.inspect(runId, message) };
    },
    status: () => engine.status(),
    'workspace.info': async () => ({ dir: workspace().dir }),
    'workspace.list': async () => ({ scripts: await workspace().list() }),
    'workspace.read': ({ name }) => workspace().read(name),
    'workspace.write': ({ name, content }) => workspace().write(name, content),
    'workspace.rename': ({ from, to }) => workspace().rename(from, to),
    'workspace.delete': async ({ name }) => ({ deleted: await workspace().delete(name) }),
    'packages.list': async () => ({ packages: await listPackages(workspace().dir) }),
    'packages.add': async ({ spec, installId }) => {
      const dir = workspace().dir;
      const result = await installer.install(dir, spec, (stream, text) => emit({ type: 'packageInstall', installId, stream, text }));
      return { ...result, packages: await listPackages(dir) };
    },
    'settings.get': () => settings.get(),
    'settings.set': (patch) => settings.update(patch),
    'policy.get': () => loadPolicyView(settings.policy),
    ...archiveHandlers({ workspace, settings, emit: (event) => emit(event), ...(options.archiveFiles ? { files: options.archiveFiles } : {}), ...(options.now ? { now: options.now } : {}) }),
  };
}
