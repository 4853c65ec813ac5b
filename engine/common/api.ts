/**
 * The renderer ↔ backend contract: one channel table (request and response schema per channel)
 * plus the event stream. Electron's IPC router and preload, and web mode's WebSocket server and
 * client, are all derived from this table; nothing here is declared twice.
 */
import * as z from 'zod';
import {
  DEFAULT_MEMORY_LIMIT_MB,
  DEFAULT_TIMEOUT_MS,
  EngineStatus,
  MAX_MEMORY_LIMIT_MB,
  MAX_TIMEOUT_MS,
  MIN_MEMORY_LIMIT_MB,
  CallerRunRequest,
  RunResult,
} from './contract.ts';
import { CallerLeakRequest, DEFAULT_LEAK_ITERATIONS, LeakReport, LeakRequest, MAX_LEAK_ITERATIONS } from './leak.ts';
import { ScriptName } from './script-files.ts';
import { RunEvent } from './protocol.ts';

export { ScriptName } from './script-files.ts';

export const ScriptInfo = z.object({ name: ScriptName, sizeBytes: z.number().int(), mtimeMs: z.number() });
export type ScriptInfo = z.infer<typeof ScriptInfo>;

/**
 * What Add package… may install: a registry package name, optionally with a version, range or tag
 * (`date-fns`, `@scope/pkg@^2.1`, `lodash-es@latest`). Nothing that npm would read as an option, a
 * path, a URL or a git repository, and nothing a shell would treat specially.
 */
export const PackageSpec = z
  .string()
  .max(214 + 64)
  .regex(/^(@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*(@[A-Za-z0-9.^~*+_=-]{1,64})?$/, 'a package name from the npm registry, optionally with @version (date-fns, @scope/name@^2.1, lodash-es@latest)');
export type PackageSpec = z.infer<typeof PackageSpec>;

/** A package in the workspace's node_modules, as its package.json says (no package code runs to find out). */
export const PackageInfo = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  /** Listed in the workspace's own package.json (what was added), rather than installed as a dependency of one. */
  direct: z.boolean(),
  /** Why scripts cannot import it, when they cannot (its folder links outside the workspace, it has no readable package.json). */
  unusable: z.string().optional(),
});
export type PackageInfo = z.infer<typeof PackageInfo>;

export const PackageInstallResult = z.object({
  ok: z.boolean(),
  /** npm's exit code; null when it could not start or was stopped. */
  exitCode: z.number().int().nullable(),
  /** What happened, in one or two sentences (offline, npm missing, timed out, installed …). */
  message: z.string(),
  packages: z.array(PackageInfo),
});
export type PackageInstallResult = z.infer<typeof PackageInstallResult>;

/**
 * The range of each numeric setting: what a run or a leak profile accepts, so a saved setting is
 * always a valid request. The renderer's inputs take their min and max from here too.
 */
export const SETTINGS_BOUNDS = {
  timeoutMs: { min: 1, max: MAX_TIMEOUT_MS },
  memoryLimitMb: { min: MIN_MEMORY_LIMIT_MB, max: MAX_MEMORY_LIMIT_MB },
  cpuLimitMs: { min: 1, max: MAX_TIMEOUT_MS },
  // The leak contract states its minimum only in its schema.
  leakIterations: { min: LeakRequest.shape.iterations.unwrap().minValue ?? 1, max: MAX_LEAK_ITERATIONS },
} as const satisfies Record<string, { min: number; max: number }>;

const bounded = (bounds: { min: number; max: number }) => z.number().int().min(bounds.min).max(bounds.max);

export const Settings = z.object({
  timeoutMs: bounded(SETTINGS_BOUNDS.timeoutMs),
  memoryLimitMb: bounded(SETTINGS_BOUNDS.memoryLimitMb),
  cpuLimitMs: bounded(SETTINGS_BOUNDS.cpuLimitMs).nullable(),
  reuseContext: z.boolean(),
  leakIterations: bounded(SETTINGS_BOUNDS.leakIterations),
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  timeoutMs: DEFAULT_TIMEOUT_MS,
  memoryLimitMb: DEFAULT_MEMORY_LIMIT_MB,
  cpuLimitMs: null,
  reuseContext: false,
  leakIterations: DEFAULT_LEAK_ITERATIONS,
  theme: 'system',
};

const withRunId = { runId: z.string().min(1).max(100).optional() };
const empty = z.object({}).strict();

export const channels = {
  // A page never says where imports come from: the backend fills `modules` in from its workspace.
  run: { request: CallerRunRequest.extend(withRunId), response: RunResult },
  leak: { request: CallerLeakRequest.extend(withRunId), response: LeakReport },
  cancel: { request: z.object({ runId: z.string().min(1).max(100) }), response: z.object({ cancelled: z.boolean() }) },
  status: { request: empty, response: EngineStatus },
  'workspace.info': { request: empty, response: z.object({ dir: z.string() }) },
  'workspace.list': { request: empty, response: z.object({ scripts: z.array(ScriptInfo) }) },
  'workspace.read': { request: z.object({ name: ScriptName }), response: z.object({ name: ScriptName, content: z.string(), mtimeMs: z.number() }) },
  'workspace.write': { request: z.object({ name: ScriptName, content: z.string().max(16 * 1024 * 1024) }), response: ScriptInfo },
  'workspace.rename': { request: z.object({ from: ScriptName, to: ScriptName }), response: ScriptInfo },
  'workspace.delete': { request: z.object({ name: ScriptName }), response: z.object({ deleted: z.boolean() }) },
  'packages.list': { request: empty, response: z.object({ packages: z.array(PackageInfo) }) },
  /** Runs the user's npm in the workspace folder (`npm install --ignore-scripts …`); output arrives as `packageInstall` events. */
  'packages.add': { request: z.object({ spec: PackageSpec, installId: z.string().min(1).max(100) }), response: PackageInstallResult },
  'settings.get': { request: empty, response: Settings },
  'settings.set': { request: Settings.partial(), response: Settings },
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelRequest<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ChannelResponse<C extends ChannelName> = z.infer<Channels[C]['response']>;
export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

/** Failure of a channel call itself (bad payload, unknown channel, workspace I/O error). */
export const ApiError = z.object({
  type: z.enum(['InvalidRequestError', 'NotFoundError', 'ConflictError', 'ForbiddenError', 'InternalError']),
  message: z.string(),
});
export type ApiError = z.infer<typeof ApiError>;

export const ApiReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError }),
]);
export type ApiReply = z.infer<typeof ApiReply>;

/** Everything the backend pushes to the renderer. */
export const BackendEvent = z.union([
  RunEvent,
  z.object({ type: z.literal('runFinished'), runId: z.string(), result: RunResult }),
  z.object({ type: z.literal('leakFinished'), runId: z.string(), report: LeakReport }),
  z.object({
    type: z.literal('engine'),
    state: z.enum(['ready', 'restarting']),
    /** Why the engine host went away, when it did. */
    reason: z.string().optional(),
  }),
  /** Output of an Add package… install as npm prints it (`installId` is the one the request gave). */
  z.object({ type: z.literal('packageInstall'), installId: z.string(), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  /** Electron's application menu asks the renderer to act. */
  z.object({ type: z.literal('menu'), action: z.enum(['run', 'stop', 'profileLeaks', 'newScript', 'save', 'openWorkspace']) }),
]);
export type BackendEvent = z.infer<typeof BackendEvent>;

/** Web mode's WebSocket endpoint, on the origin that served the page. */
export const WS_PATH = '/api/ws';

/** WebSocket framing of web mode: requests carry an id, replies echo it, events come in batches. */
export const WsClientFrame = z.object({ id: z.number().int(), channel: z.string(), payload: z.unknown() });
export type WsClientFrame = z.infer<typeof WsClientFrame>;
export const WsServerFrame = z.union([
  z.object({ id: z.number().int(), reply: ApiReply }),
  z.object({ events: z.array(BackendEvent).min(1) }),
]);
export type WsServerFrame = z.infer<typeof WsServerFrame>;

/** Named actions of `window.isolab` (Electron preload), one per channel. */
export const ACTIONS = {
  run: 'run',
  leak: 'leak',
  cancel: 'cancel',
  status: 'status',
  workspaceInfo: 'workspace.info',
  workspaceList: 'workspace.list',
  workspaceRead: 'workspace.read',
  workspaceWrite: 'workspace.write',
  workspaceRename: 'workspace.rename',
  workspaceDelete: 'workspace.delete',
  packagesList: 'packages.list',
  packagesAdd: 'packages.add',
  settingsGet: 'settings.get',
  settingsSet: 'settings.set',
} as const satisfies Record<string, ChannelName>;
export type ActionName = keyof typeof ACTIONS;

/**
 * What the preload exposes as `window.isolab`. Actions resolve with the reply envelope (errors do
 * not survive contextBridge as typed values, so they travel as data); renderer/src/backend.ts
 * unwraps them.
 */
export type IsolabBridge = {
  [A in ActionName]: (payload: ChannelRequest<(typeof ACTIONS)[A]>) => Promise<ApiReply>;
} & {
  onEvent(handler: (event: BackendEvent) => void): () => void;
};
