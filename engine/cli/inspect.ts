/**
 * `isolab run --inspect / --inspect-brk / --cpu-prof`, with Node's names and meanings: the flags,
 * a DevTools endpoint relayed to the run's debugger session, and the `.cpuprofile` file.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Engine } from '../client/api.ts';
import { DEFAULT_INSPECT_PORT, DevtoolsEndpoint, isLoopbackHost, type DevtoolsEndpointOptions } from '../client/devtools-endpoint.ts';
import type { RunRequest, RunResult } from '../common/contract.ts';
import { GUEST_FILENAME } from '../common/guest-abi.ts';
import type { CpuProfile } from '../common/inspect.ts';

export class InspectUsageError extends Error {}

export interface InspectFlag {
  /** --inspect-brk: wait for a client and stop on the first line. */
  brk: boolean;
  host: string;
  /** Undefined: Node's 9229, or a free port if that is taken. */
  port: number | undefined;
}

/**
 * Takes --inspect[=[host:]port] and --inspect-brk[=…] out of argv. They are pulled out by hand
 * because their value is optional and must be attached with '=' (as in Node): `--inspect x.js`
 * runs x.js, which parseArgs cannot express.
 */
export function takeInspectFlag(argv: string[]): { rest: string[]; inspect: InspectFlag | undefined } {
  const rest: string[] = [];
  let inspect: InspectFlag | undefined;
  let ended = false;
  for (const arg of argv) {
    const m = ended ? null : /^--inspect(-brk)?(?:=(.*))?$/.exec(arg);
    if (arg === '--') ended = true;
    if (!m) {
      rest.push(arg);
      continue;
    }
    if (inspect) throw new InspectUsageError('give --inspect or --inspect-brk once');
    inspect = { brk: m[1] !== undefined, ...inspectAddress(m[2], m[1] ? '--inspect-brk' : '--inspect') };
  }
  return { rest, inspect };
}

/** `port`, `host:port` or `host` (as Node reads --inspect's value); only loopback hosts. */
export function inspectAddress(value: string | undefined, flag: string): Pick<InspectFlag, 'host' | 'port'> {
  let host = '127.0.0.1';
  let portText = value ?? '';
  if (value !== undefined && !/^\d*$/.test(value)) {
    const colon = value.lastIndexOf(':');
    const hostOnly = colon < 0 || value === '::1' || (value.startsWith('[') && value.endsWith(']'));
    host = hostOnly ? value : value.slice(0, colon);
    portText = hostOnly ? '' : value.slice(colon + 1);
  }
  if (!/^\d*$/.test(portText) || host === '') throw new InspectUsageError(`${flag}=${value}: expected [host:]port`);
  if (!isLoopbackHost(host)) {
    throw new InspectUsageError(
      `${flag}: the debugger listens on loopback only (127.0.0.1, localhost or ::1), not '${host}': whoever reaches it can run code in the script and read its data. Reach it from elsewhere through an SSH tunnel.`,
    );
  }
  if (portText === '') return { host, port: undefined };
  const port = Number(portText);
  if (!Number.isInteger(port) || port > 65_535) throw new InspectUsageError(`${flag}: port must be 0–65535 (0: a free one), got '${portText}'`);
  return { host, port };
}

export interface Stderr {
  stderr(text: string): void;
}

/** Reserved id range for the relay's own messages; their replies are not the client's business. */
const OWN_IDS = 2_000_000_000;

/**
 * Sends CDP messages to a run in order, once the engine knows the run (its request may still be on
 * its way to a host: `inspect` answers false until then).
 */
class Outbox {
  readonly #queue: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #ownId = OWN_IDS;

  readonly #engine: Engine;
  readonly #runId: string;

  constructor(engine: Engine, runId: string) {
    this.#engine = engine;
    this.#runId = runId;
  }

  send(message: string): void {
    if (this.#closed) return;
    this.#queue.push(message);
    this.#flush();
  }

  /** A message of the relay's own. */
  own(method: string, params: Record<string, unknown> = {}): void {
    this.send(JSON.stringify({ id: this.#ownId++, method, params }));
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #flush(): void {
    while (this.#queue.length > 0 && this.#engine.inspect(this.#runId, this.#queue[0]!)) this.#queue.shift();
    if (this.#queue.length > 0 && !this.#timer && !this.#closed) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, 5);
    }
  }
}

const isOwnReply = (message: string): boolean => {
  const m = /^\{"id":(\d+)/.exec(message);
  return m !== null && Number(m[1]) >= OWN_IDS;
};

/**
 * Runs `request` with a DevTools endpoint relayed to its debugger session, as Node does:
 * --inspect starts at once and stops only once a client is attached (no client, no pauses:
 * a `debugger;` statement does not hang the run); --inspect-brk waits for a client and stops on
 * the first line. One client; when it leaves, the run goes on without stopping and the endpoint
 * closes (the run has one debugger session, which a second client could not start afresh).
 */
export async function inspectRun(engine: Engine, request: RunRequest, flag: InspectFlag, target: { title: string; url: string }, io: Stderr): Promise<RunResult> {
  const runId = randomUUID();
  const outbox = new Outbox(engine, runId);
  let ended = false;
  let endpoint: DevtoolsEndpoint | undefined;
  const { fromEngine, ...client } = fromClient(outbox, flag, target.url, io);
  const options = {
    host: flag.host,
    ...target,
    ...client,
    onDetach: () => {
      if (ended) return;
      io.stderr('Debugger detached: the run goes on without stopping.\n');
      letGo(outbox);
      void endpoint?.close();
    },
  };
  endpoint = await listen(flag, options);
  io.stderr(`Debugger listening on ${endpoint.webSocketUrl}\nFor help, see: https://nodejs.org/en/docs/inspector\nOpen in Chrome: ${endpoint.devtoolsUrl}\n`);
  if (flag.brk) io.stderr('Waiting for the debugger to attach (the script stops on its first line)…\n');
  else {
    // Enabled first, so the skip holds whether it reaches the session before the engine's own
    // enable or after (the engine's is then a no-op).
    outbox.own('Debugger.enable');
    outbox.own('Debugger.setSkipAllPauses', { skip: true });
  }
  try {
    return await engine.run(
      { ...request, debug: flag.brk ? { waitForDebugger: true, stopOnEntry: true } : {} },
      {
        runId,
        onEvent: (event) => {
          if (event.type !== 'inspector' || isOwnReply(event.message)) return;
          endpoint?.send(event.message);
          fromEngine(event.message);
        },
      },
    );
  } finally {
    ended = true;
    const attached = endpoint.attached;
    outbox.close();
    await endpoint.close();
    if (attached) io.stderr('Debugger session closed: the run has ended.\n');
  }
}

const HIDDEN = `^${GUEST_FILENAME}$`;

/**
 * What a client says, on its way to the run's session. The session is the run's one and only: the
 * engine enabled the debugger in it before the client came (to stop on entry, to know when the run
 * is paused), so a client's own Debugger.enable would be a no-op that reports no scripts, and
 * DevTools, not knowing the script it is paused in, would step on forever. So a client starts with
 * the debugger off (which also clears the breakpoints and ignore list of the time without a
 * client), and once it has enabled it, pauses are on, the sandbox's own code is ignore-listed again
 * (kept in any list the client sets) and, for --inspect-brk, the entry breakpoint is set again
 * (by regex: a second one by URL, if the engine's is still to come, would be refused).
 * The entry breakpoints go at the first pause: when the first line declares a function, V8 places
 * a line-0 breakpoint in that function's body, which would stop on every call to it.
 */
function fromClient(outbox: Outbox, flag: InspectFlag, url: string, io: Stderr): Pick<DevtoolsEndpointOptions, 'onMessage' | 'onAttach'> & { fromEngine(message: string): void } {
  const entryRegex = `^${escapeRegex(url)}$`;
  let started = false;
  let entryCleared = !flag.brk;
  return {
    fromEngine: (message) => {
      if (entryCleared || !started || !message.startsWith('{"method":"Debugger.paused"')) return;
      entryCleared = true;
      // V8's ids for breakpoints by URL (1) and by URL regex (2) at line 0, column 0.
      for (const breakpointId of [`1:0:0:${url}`, `2:0:0:${entryRegex}`]) outbox.own('Debugger.removeBreakpoint', { breakpointId });
    },
    onAttach: () => {
      io.stderr('Debugger attached.\n');
      outbox.own('Debugger.disable');
    },
    onMessage: (raw) => {
      const m = parseCdp(raw);
      if (m?.method === 'Debugger.setBlackboxPatterns') {
        const patterns = Array.isArray(m.params?.patterns) ? (m.params.patterns as unknown[]) : [];
        return outbox.send(JSON.stringify({ ...m, params: { ...m.params, patterns: [...patterns, HIDDEN] } }));
      }
      outbox.send(raw);
      if (m?.method === 'Runtime.runIfWaitingForDebugger') started = true;
      if (m?.method !== 'Debugger.enable') return;
      outbox.own('Debugger.setBlackboxPatterns', { patterns: [HIDDEN] });
      // Disabling keeps V8's "skip all pauses" of the time without a client: say it.
      outbox.own('Debugger.setSkipAllPauses', { skip: false });
      if (flag.brk && !started) outbox.own('Debugger.setBreakpointByUrl', { urlRegex: entryRegex, lineNumber: 0, columnNumber: 0 });
    },
  };
}

function parseCdp(raw: string): { method?: unknown; params?: Record<string, unknown> } | undefined {
  try {
    const m = JSON.parse(raw) as unknown;
    return typeof m === 'object' && m !== null ? (m as { method?: unknown; params?: Record<string, unknown> }) : undefined;
  } catch {
    return undefined;
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** No more pauses; a run still waiting for its debugger starts; a paused one goes on. */
function letGo(outbox: Outbox): void {
  outbox.own('Debugger.setSkipAllPauses', { skip: true });
  outbox.own('Runtime.runIfWaitingForDebugger');
  outbox.own('Debugger.resume');
}

async function listen(flag: InspectFlag, options: Omit<Parameters<typeof DevtoolsEndpoint.listen>[0], 'port'>): Promise<DevtoolsEndpoint> {
  try {
    return await DevtoolsEndpoint.listen({ ...options, port: flag.port ?? DEFAULT_INSPECT_PORT });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Node's port by default, so chrome://inspect finds it unasked; a free one if that is taken.
    if (flag.port === undefined && code === 'EADDRINUSE') return DevtoolsEndpoint.listen({ ...options, port: 0 });
    throw new InspectUsageError(`cannot listen on ${flag.host}:${flag.port ?? DEFAULT_INSPECT_PORT} for the debugger: ${code === 'EADDRINUSE' ? 'the port is in use' : (error as Error).message}`);
  }
}

export interface CpuProfFlags {
  dir: string;
  name: string | undefined;
  intervalUs: number | undefined;
}

/** Node's default name, CPU.<yyyymmdd>.<hhmmss>.<pid>.<seq>.cpuprofile, in local time. */
export function defaultProfileName(now: Date, pid: number, seq: number): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}`;
  const time = `${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `CPU.${date}.${time}.${pid}.${p(seq, 3)}.cpuprofile`;
}

let profileSeq = 0;

/** Writes the run's profile (a .cpuprofile DevTools, VS Code and speedscope load); returns its path. */
export function writeCpuProfile(profile: CpuProfile, flags: CpuProfFlags): string {
  const dir = resolve(flags.dir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, flags.name ?? defaultProfileName(new Date(), process.pid, ++profileSeq));
  writeFileSync(path, JSON.stringify(profile));
  return path;
}
