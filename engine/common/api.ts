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
  SourceText,
  strictObject,
} from './contract.ts';
import { CallerLeakRequest, DEFAULT_LEAK_ITERATIONS, LeakReport, LeakRequest, MAX_LEAK_ITERATIONS } from './leak.ts';
import { ScriptName } from './script-files.ts';
import { MAX_INSPECTOR_MESSAGE_CHARS } from './inspect.ts';
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
  liveTimeoutMs: { min: 1, max: MAX_TIMEOUT_MS },
  // The leak contract states its minimum only in its schema.
  leakIterations: { min: LeakRequest.shape.iterations.unwrap().minValue ?? 1, max: MAX_LEAK_ITERATIONS },
} as const satisfies Record<string, { min: number; max: number }>;

const bounded = (bounds: { min: number; max: number }) => z.number().int().min(bounds.min).max(bounds.max);

export const Settings = z.object({
  timeoutMs: bounded(SETTINGS_BOUNDS.timeoutMs),
  memoryLimitMb: bounded(SETTINGS_BOUNDS.memoryLimitMb),
  cpuLimitMs: bounded(SETTINGS_BOUNDS.cpuLimitMs).nullable(),
  /** Time limit of a live run (the IDE's Live mode runs the script as you type), in ms. */
  liveTimeoutMs: bounded(SETTINGS_BOUNDS.liveTimeoutMs),
  reuseContext: z.boolean(),
  leakIterations: bounded(SETTINGS_BOUNDS.leakIterations),
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof Settings>;

/** Live runs are short: a runaway loop is shown at its line after a second, not ten. */
export const DEFAULT_LIVE_TIMEOUT_MS = 1_000;

export const DEFAULT_SETTINGS: Settings = {
  timeoutMs: DEFAULT_TIMEOUT_MS,
  memoryLimitMb: DEFAULT_MEMORY_LIMIT_MB,
  cpuLimitMs: null,
  liveTimeoutMs: DEFAULT_LIVE_TIMEOUT_MS,
  reuseContext: false,
  leakIterations: DEFAULT_LEAK_ITERATIONS,
  theme: 'system',
};

export const SettingKey = Settings.keyof();
export type SettingKey = z.infer<typeof SettingKey>;

/** A script carried as text: a team example, a welcome script. */
export const ScriptText = z.object({ name: ScriptName, content: SourceText });
export type ScriptText = z.infer<typeof ScriptText>;

/** Team examples the IDE shows at most (a folder with more shows the first, by name). */
export const MAX_TEAM_EXAMPLES = 100;

/**
 * The team policy as the IDE shows it (engine/common/policy.ts has the rules, engine/app reads the
 * files it names). Without a policy: no file, nothing locked, no maximums, Isolab's own examples.
 */
export const PolicyView = z.object({
  /** The policy file in force, or null when there is none. */
  file: z.string().nullable(),
  contact: z.string().nullable(),
  /** Each locked setting with the sentence to show next to it (it names the file and the contact). */
  locked: z.partialRecord(SettingKey, z.string()),
  /** The most each limit may be set to; a limit not listed goes up to SETTINGS_BOUNDS. */
  maximums: z.object({ timeoutMs: z.number().int(), memoryLimitMb: z.number().int(), cpuLimitMs: z.number().int() }).partial(),
  examples: z.object({
    /** Whether Isolab's own examples are shown. */
    builtIn: z.boolean(),
    /** The team's examples folder, read when the page asked. */
    team: z.array(ScriptText).max(MAX_TEAM_EXAMPLES),
  }),
  /** What an empty workspace starts with: the team's script, null for an empty one; absent for Isolab's own. */
  welcome: ScriptText.nullable().optional(),
});
export type PolicyView = z.infer<typeof PolicyView>;

/**
 * Web mode moves a workspace archive as base64 inside one WebSocket frame: an archive of scripts
 * is small (text deflates 3-5x, so this is 100 MiB and more of scripts), a frame needs no second
 * endpoint, token check or upload state, and 32 MiB in base64 (43 MiB) stays well inside the
 * server's 64 MiB frame limit. Larger workspaces move with `isolab workspace export|import`; the
 * desktop app writes and reads the file itself (native dialogs), with no transfer limit.
 */
export const MAX_ARCHIVE_TRANSFER_BYTES = 32 * 1024 * 1024;
export const ArchiveData = z
  .string()
  .max(Math.ceil(MAX_ARCHIVE_TRANSFER_BYTES / 3) * 4, `an archive sent as bytes is at most ${MAX_ARCHIVE_TRANSFER_BYTES / 1048576} MiB; use isolab workspace export|import for larger ones`)
  // Not z.base64(): its pattern takes seconds on 40 MB; this one is linear and still strict.
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64')
  .refine((text) => text.length % 4 === 0, 'not base64 (length is not a multiple of 4)');

/** Chosen by the page, so it can follow its own operation's progress events. */
const OperationId = z.string().min(1).max(100);

export const ExportRequest = z
  .object({
    /** `dialog`: the backend asks where to save (desktop app); `bytes`: the reply carries the archive (web mode). */
    via: z.enum(['dialog', 'bytes']),
    /** Include this machine's settings (default true). */
    settings: z.boolean().default(true),
    operationId: OperationId.optional(),
  })
  .strict();

export const ExportReply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('cancelled') }),
  z.object({
    status: z.literal('exported'),
    fileName: z.string(),
    /** Where it was saved (via dialog). */
    file: z.string().optional(),
    scripts: z.array(ScriptName),
    settings: z.boolean(),
    sizeBytes: z.number().int().nonnegative(),
    /** The archive, base64 (via bytes). */
    data: ArchiveData.optional(),
  }),
]);
export type ExportReply = z.infer<typeof ExportReply>;

export const ImportRequest = z
  .object({
    from: z.discriminatedUnion('via', [
      z.object({ via: z.literal('dialog') }).strict(),
      z.object({ via: z.literal('bytes'), fileName: z.string().min(1).max(255), data: ArchiveData }).strict(),
    ]),
    /** Apply the archive's settings (default true); locked ones are reported, not applied. */
    settings: z.boolean().default(true),
    operationId: OperationId.optional(),
  })
  .strict();

/** What an import did, for the CLI's lines and the IDE's summary. */
export const ImportReport = z.object({
  /** The archive: its path, or its file name when it came as bytes. */
  file: z.string(),
  /** The workspace folder it went into. */
  dir: z.string(),
  /** Scripts written, and the name each got (not `from` when the name was taken: the free-name rule). */
  imported: z.array(z.object({ from: ScriptName, name: ScriptName })),
  /** Skipped: already in the workspace with the same content. */
  unchanged: z.array(ScriptName),
  settings: z.discriminatedUnion('status', [
    /** Nothing applied, and why ("the archive has none", "not asked to"). */
    z.object({ status: z.literal('left'), reason: z.string() }),
    z.object({
      status: z.literal('applied'),
      applied: z.array(SettingKey),
      /** Settings the archive has that were not applied, with the reason (a team policy lock, a maximum). */
      refused: z.array(z.object({ key: SettingKey, reason: z.string() })),
    }),
  ]),
  /** Breakpoints in the archive, and the reason when they were not applied. */
  breakpoints: z.object({ count: z.number().int().nonnegative(), applied: z.number().int().nonnegative(), reason: z.string().optional() }),
  /** The team policy in force, if any. */
  policy: z.string().nullable(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportReply = z.discriminatedUnion('status', [z.object({ status: z.literal('cancelled') }), z.object({ status: z.literal('imported'), report: ImportReport })]);
export type ImportReply = z.infer<typeof ImportReply>;

/** Steps of an export or import the backend reports progress on (scripts done of total). */
export const ArchivePhase = z.enum(['packing', 'reading', 'writing']);
export type ArchivePhase = z.infer<typeof ArchivePhase>;

const withRunId = { runId: z.string().min(1).max(100).optional() };
// Requests refuse fields they do not declare (contract.ts strictObject), on every transport.
const empty = strictObject({});

export const channels = {
  // A page never says where imports come from: the backend fills `modules` in from its workspace.
  run: { request: CallerRunRequest.extend(withRunId), response: RunResult },
  leak: { request: CallerLeakRequest.extend(withRunId), response: LeakReport },
  cancel: { request: strictObject({ runId: z.string().min(1).max(100) }), response: z.object({ cancelled: z.boolean() }) },
  /**
   * One Chrome DevTools Protocol message for a debugged run this page started (`sent: false` while
   * the engine does not know the run yet, or no longer); replies come back as `inspector` events.
   */
  inspect: {
    request: strictObject({ runId: z.string().min(1).max(100), message: z.string().min(2).max(MAX_INSPECTOR_MESSAGE_CHARS) }),
    response: z.object({ sent: z.boolean() }),
  },
  status: { request: empty, response: EngineStatus },
  'workspace.info': { request: empty, response: z.object({ dir: z.string() }) },
  'workspace.list': { request: empty, response: z.object({ scripts: z.array(ScriptInfo) }) },
  'workspace.read': { request: strictObject({ name: ScriptName }), response: z.object({ name: ScriptName, content: z.string(), mtimeMs: z.number() }) },
  'workspace.write': { request: strictObject({ name: ScriptName, content: SourceText }), response: ScriptInfo },
  'workspace.rename': { request: strictObject({ from: ScriptName, to: ScriptName }), response: ScriptInfo },
  'workspace.delete': { request: strictObject({ name: ScriptName }), response: z.object({ deleted: z.boolean() }) },
  'packages.list': { request: empty, response: z.object({ packages: z.array(PackageInfo) }) },
  /** Runs the user's npm in the workspace folder (`npm install --ignore-scripts …`); output arrives as `packageInstall` events. */
  'packages.add': { request: strictObject({ spec: PackageSpec, installId: z.string().min(1).max(100) }), response: PackageInstallResult },
  'settings.get': { request: empty, response: Settings },
  // Strict as a request only: a settings file with a field from another version still loads.
  'settings.set': { request: strictObject(Settings.shape).partial(), response: Settings },
  'policy.get': { request: empty, response: PolicyView },
  'workspace.export': { request: ExportRequest, response: ExportReply },
  'workspace.import': { request: ImportRequest, response: ImportReply },
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
  z.object({
    type: z.literal('menu'),
    action: z.enum(['run', 'debug', 'stepOver', 'stepInto', 'stepOut', 'toggleBreakpoint', 'profileCpu', 'stop', 'profileLeaks', 'newScript', 'save', 'openWorkspace', 'exportWorkspace', 'importWorkspace']),
  }),
  /** How far a workspace export or import has come (for the page whose operationId it is). */
  z.object({ type: z.literal('archiveProgress'), operationId: z.string(), phase: ArchivePhase, done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
]);
export type BackendEvent = z.infer<typeof BackendEvent>;

/** Web mode's WebSocket endpoint, on the origin that served the page. */
export const WS_PATH = '/api/ws';

/** WebSocket framing of web mode: requests carry an id, replies echo it, events come in batches. */
export const WsClientFrame = strictObject({ id: z.number().int(), channel: z.string(), payload: z.unknown() });
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
  inspect: 'inspect',
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
  policyGet: 'policy.get',
  workspaceExport: 'workspace.export',
  workspaceImport: 'workspace.import',
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
