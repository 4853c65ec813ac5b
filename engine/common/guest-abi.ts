/**
 * The host ↔ guest ABI: everything the engine host (engine/host) and the code inside each isolate
 * (engine/guest) must agree on, declared once. Both sides import this module; it imports nothing,
 * so the guest bundle gains only these constants. Options travel as objects (isolated-vm copies
 * an options object with its `ivm.Callback`s when the host passes `arguments: { copy: true }`).
 */

/** Filename of the guest bundle in stacks (the host drops these frames from user-facing stacks). */
export const GUEST_FILENAME = 'isolab:guest';

/** The one setup global the guest bundle defines; `install` deletes it before user code runs. */
export const INSTALL_GLOBAL = '__isolab_install';

export const LOG_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One console line as the guest sends it: level, ms since the run started, the encoded arguments. */
export type LogLine = [level: LogLevel, timeMs: number, args: Encoded[]];

/** Message prefix of a host codec refusal (over budget): the guest then does the work itself. */
export const CODEC_LIMIT_PREFIX = 'ISOLAB_CODEC_LIMIT:';

export const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// ── Encoded values ──────────────────────────────────────────────────────────────────────────────
// A value leaves the isolate as plain JSON where JSON can say it, and as a tagged object
// `{ "$isolab": kind, ... }` where it cannot. The guest encodes; engine/common/value.ts decodes.

export const TAG = '$isolab';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An encoded value: JSON, where objects carrying the `$isolab` key are tags. */
export type Encoded = Json;

export type FunctionKind = 'function' | 'class' | 'async' | 'generator' | 'arrow' | 'native';

export type Tagged =
  | { $isolab: 'undefined' }
  | { $isolab: 'hole' }
  | { $isolab: 'number'; value: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { $isolab: 'bigint'; value: string }
  | { $isolab: 'symbol'; description: string | null }
  | { $isolab: 'date'; iso: string | null }
  | { $isolab: 'regexp'; source: string; flags: string }
  | { $isolab: 'map'; size: number; entries: [Encoded, Encoded][]; more?: number }
  | { $isolab: 'set'; size: number; values: Encoded[]; more?: number }
  /** ArrayBuffer, DataView, Buffer and typed arrays: the raw bytes (at most a bounded prefix, `more` counts the rest). */
  | {
      $isolab: 'bytes';
      kind: string;
      length: number;
      base64: string;
      more?: number;
      /** Buffers only, when the script set `buffer.INSPECT_MAX_BYTES`: how many bytes inspecting shows (default 50). */
      inspectMaxBytes?: number;
    }
  | { $isolab: 'error'; name: string; message: string; stack?: string; props?: { [key: string]: Encoded } }
  | { $isolab: 'function'; name: string; kind: FunctionKind }
  | { $isolab: 'object'; className: string | null; props: { [key: string]: Encoded }; more?: number }
  | { $isolab: 'array'; items: Encoded[]; length: number; more?: number }
  | { $isolab: 'circular'; path: string }
  | { $isolab: 'getter'; setter?: boolean }
  | { $isolab: 'preview'; className: string; text: string }
  | { $isolab: 'depth'; className: string | null; kind: 'object' | 'array' };

export type TagKind = Tagged['$isolab'];

// ── Installing the guest in a context ──────────────────────────────────────────────────────────

/** Per-context bounds, set by the host when it installs the guest. */
export interface GuestConfig {
  maxLogLines: number;
  maxLogBytes: number;
  maxTimers: number;
}

/**
 * What a context's guest may call on the host (`ivm.Callback`s on the host side). The guest keeps
 * them in a module closure only, never on anything user code can reach.
 */
export interface HostCalls {
  /** Console lines, a JSON array of LogLine (an "ignored" callback: logging never waits for the host). */
  log(batchJson: string): void;
  timerSet(id: number, delayMs: number, repeat: boolean): void;
  timerClear(id: number): void;
  /** The host's monotonic clock, in ms. */
  now(): number;
  /** Encodes bytes with Node's Buffer; throws a RangeError starting with CODEC_LIMIT_PREFIX when over budget. */
  encode(bytes: Uint8Array, encoding: string): string;
  /** Decodes text with Node's Buffer into bytes owned by the isolate (see engine/host/codec-bridge.ts). */
  decode(text: string, encoding: string): ArrayBuffer | { copy(options: { transferIn: boolean; release: boolean }): ArrayBuffer };
}

export interface InstallOptions {
  host: HostCalls;
  config: GuestConfig;
}

/**
 * `globalThis[INSTALL_GLOBAL]`: binds one context's host calls and returns its entry, one function
 * through which the host reaches every control (one Reference, so a context is ready after two
 * round trips: create it, install; isolated-vm cannot read properties of a function Reference).
 */
export type Install = (options: InstallOptions) => GuestEntry;

export type GuestEntry = <K extends keyof GuestControl>(control: K, ...args: Parameters<GuestControl[K]>) => ReturnType<GuestControl[K]>;

// ── Running user code ──────────────────────────────────────────────────────────────────────────

export interface GuestCall {
  /** Key under which the call-mode wrapper returns the script's top-level functions. */
  token: string;
  name: string;
  argsJson: string;
}

export interface GuestRunRequest {
  /** Present in call mode: after the script, call one of its top-level functions. */
  call?: GuestCall;
  /** Date.now() when the run started (console time stamps count from it). */
  startMs: number;
  /** Keep the call-mode function table so later runs (leak-profile iterations) can call again. */
  keepFunctions: boolean;
  /** The code was instrumented (engine/host/instrument.ts): the wrapper wants a recorder. */
  record?: RecordSizes;
}

// ── Recording values and coverage (instrumented runs) ──────────────────────────────────────────
// An instrumented wrapper is `(function (recorder, hits) { return async function () { … } })`:
// the guest calls it with a fresh recorder for the run, so user code reaches the recorder only
// through two closure parameters whose names its source does not contain (no globals).

export interface RecordSizes {
  /** Value sites (ids 0 … sites-1) in the instrumented code. */
  sites: number;
  /**
   * Statement hits, shared with the host (so they outlive an isolate disposed by a timeout or Stop):
   * an Int32Array over it has one slot per statement, set non-zero when the statement runs, and a
   * last slot holding 1 + the id of the statement that started last (0: none yet).
   */
  hits: SharedArrayBuffer;
}

/** What instrumented code calls. Each returns its value unchanged, so wrapping never changes a result. */
export interface GuestRecorder {
  /** The value of an expression (a top-level statement or a `//?` probe) at site `id`. */
  v<T>(id: number, value: T): T;
  /** The first argument of a console call at site `id` (starts a new line of arguments). */
  l<T>(id: number, value: T): T;
  /** A further argument of the same console call. */
  m<T>(id: number, value: T): T;
}

/** Per site that ran: its id, how many times, and its last value (a console site: the encoded argument array). */
export type RecordedValue = [id: number, count: number, last: Encoded];

export interface Recorded {
  values: RecordedValue[];
}

/**
 * Why user code failed, as the guest saw it:
 * `exception` the code threw (or rejected); `allocation` V8 could not allocate (an ArrayBuffer or
 * string past what the isolate can hold: the isolate is not trusted again); `call` the requested
 * function does not exist or the script returned before its end.
 */
export type GuestFailureReason = 'exception' | 'allocation' | 'call';

export interface GuestError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
  /** The thrown value itself, when it was not an Error. */
  value?: Encoded;
  reason: GuestFailureReason;
}

export type GuestOutcome =
  | { ok: true; value: Encoded; logs: number; logsTruncated: boolean; recorded?: Recorded }
  | { ok: false; error: GuestError; logs: number; logsTruncated: boolean; recorded?: Recorded };

export interface GuestControl {
  /** Runs the wrapped user function (absent: call the kept functions); resolves with GuestOutcome as JSON. */
  run(fn: (() => Promise<unknown>) | undefined, request: GuestRunRequest): Promise<string>;
  /** A host timer came due. */
  fire(id: number): void;
  /** Forgets every pending guest timer; returns how many there were. */
  endTimers(): number;
  /** A full, synchronous garbage collection (leak profiles); false when `gc` was not exposed. */
  collectGarbage(): boolean;
  /** Names of builtins the guest captured as missing although this context has them (must be empty). */
  missingCaptures(): string[];
  /** What the code is waiting on (pending timers), for the receipt of a run stopped while waiting. */
  pendingWaits(): PendingWait[];
}

export interface PendingWait {
  kind: 'timer' | 'interval';
  delayMs: number;
  /** The stack where user code created it (the host finds the user's frame). */
  stack: string;
}

// ── Built-in modules of module scripts ─────────────────────────────────────────────────────────

/**
 * `Symbol.for` key under which the sandbox's Buffer constructor carries Node's `buffer` module
 * object (Buffer, SlowBuffer, kMaxLength, constants, INSPECT_MAX_BYTES, atob, btoa). The host's
 * bundler resolves `buffer` / `node:buffer` to a module that exports that object.
 */
export const BUFFER_MODULE_KEY = 'isolab.module.buffer';
