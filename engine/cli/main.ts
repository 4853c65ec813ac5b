/**
 * `isolab` command line: run, call, leak, serve. The contract other tools rely on:
 * exit 0 when every run succeeded, 1 when a script failed (any error type), 2 for bad usage or
 * unreadable input (with a message on stderr). `--json` prints RunResults (or a LeakReport).
 */
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EngineClient } from '../client/engine-client.ts';
import {
  MAX_MEMORY_LIMIT_MB,
  MAX_SOURCE_BYTES,
  MAX_TIMEOUT_MS,
  MIN_MEMORY_LIMIT_MB,
  type Language,
  type ModuleScope,
  type RunRequest,
  type RunResult,
} from '../common/contract.ts';
import { decodeUtf8, parseJsonText } from '../common/input.ts';
import { DEFAULT_PROFILE_INTERVAL_US, ProfileOptions } from '../common/inspect.ts';
import { MAX_LEAK_ITERATIONS } from '../common/leak.ts';
import { languageOf } from '../common/script-files.ts';
import { gateLimits, type ActivePolicy } from '../common/policy.ts';
import { loadTeamPolicy } from '../client/policy-file.ts';
import { InspectUsageError, inspectRun, takeInspectFlag, writeCpuProfile, type CpuProfFlags, type InspectFlag } from './inspect.ts';
import { renderLeakReport } from './leak-report.ts';
import { ModuleRootError, moduleScopeFor } from './module-root.ts';
import { COLOR, PLAIN, renderRunResult, renderValues, type Style } from './report.ts';

export class UsageError extends Error {}

const HELP = `Usage: isolab <command> [options]

Runs JavaScript and TypeScript in a V8 isolate that cannot touch your machine.

Commands:
  run <file|-> [more files…]     run scripts (- reads stdin)
  call <file> <function>         run a script, then call one of its top-level functions
  leak <file>                    run a script many times in one context and say whether it leaks
  serve                          open the Isolab IDE in a browser (local web mode)
  workspace export|import FILE   move a workspace (scripts, settings) to another machine

Run 'isolab <command> --help' for the options of a command.
  -v, --version                  print versions
  -h, --help                     show this help

Exit codes: 0 all runs ok, 1 a script failed, 2 bad usage or unreadable input.`;

const intervalBounds = ProfileOptions.shape.samplingIntervalUs.unwrap();
const MIN_PROFILE_INTERVAL_US = intervalBounds.minValue ?? 10;
const MAX_PROFILE_INTERVAL_US = intervalBounds.maxValue ?? 100_000;

const LIMIT_HELP = `  --timeout ms        wall-clock limit of each run (default 10000, max ${MAX_TIMEOUT_MS})
  --cpu-limit ms      CPU time limit of each run (default: none)
  --memory mb         heap limit of the isolate (default 128, ${MIN_MEMORY_LIMIT_MB}–${MAX_MEMORY_LIMIT_MB})`;

const ROOT_HELP = `  --root dir          confine imports to this folder (default: the nearest folder above the
                      file with a package.json or node_modules, else the file's own folder)`;

const RUN_HELP = `Usage: isolab run <file|-> [more files…] [options]

Runs each file on one engine, in order, each in a fresh context.
The last top-level expression is the result (or use a top-level return); top-level await works.
A file may import other files and npm packages installed in its project (see --root).

Options:
${LIMIT_HELP}
${ROOT_HELP}
  --reuse-context     run in one long-lived context (faster; globals persist, declarations do not)
  --parallel          run the files concurrently across the isolate pool
  --values            print the value of each top-level expression (and of each expression
                      marked //?) after its line number ("2: 42"), then the usual result;
                      with --json, the RunResult has a "values" array
  --json              print the RunResult (an array of them for several files) as JSON
  -h, --help          show this help

Debugging and profiling (Node's names; such runs get an isolate of their own):
  --inspect[=[host:]port]      serve a DevTools endpoint for the run (one file) and start at once;
                               it stops at breakpoints once Chrome DevTools or VS Code is attached
                               (default port 9229, or a free one if taken; 0: a free one; loopback only)
  --inspect-brk[=[host:]port]  the same, but wait for the debugger and stop on the first line
  --cpu-prof                   write a V8 CPU profile of each run (.cpuprofile: DevTools, VS Code, speedscope)
  --cpu-prof-dir dir           where (default: the current folder)
  --cpu-prof-name name         file name (one file only; default CPU.<date>.<time>.<pid>.<seq>.cpuprofile)
  --cpu-prof-interval us       sampling interval in µs (default ${DEFAULT_PROFILE_INTERVAL_US}, ${MIN_PROFILE_INTERVAL_US}–${MAX_PROFILE_INTERVAL_US})`;

const CALL_HELP = `Usage: isolab call <file> <function> [--args '<json array>'] [options]

Runs the script, then calls the named top-level function with the JSON arguments.

Options:
  --args json         arguments as a JSON array (default [])
${LIMIT_HELP}
${ROOT_HELP}
  --json              print the RunResult as JSON
  -h, --help          show this help`;

const LEAK_HELP = `Usage: isolab leak <file> [options]

Runs the script (or one of its functions) N times in ONE context, forcing a full garbage
collection between runs, and fits the heap that survives: "leaks ≈ 1.1 KB per run" or "stable".

Options:
  --function name     call this top-level function each iteration instead of re-running the script
  --args json         arguments for --function, as a JSON array (default [])
  --iterations N      how many runs (default 40, 3–${MAX_LEAK_ITERATIONS})
  --timeout ms        wall-clock limit of each iteration (default 10000)
  --memory mb         heap limit of the isolate (default 128)
${ROOT_HELP}
  --explain           say what survives and who holds it even when the verdict is not "leak"
                      (a "leak" verdict is always explained): three heap snapshots a few runs
                      apart, the objects new in the second and alive in the third grouped by
                      kind, each with its retainer path from a global, plus timers never cleared
  --heap-snapshot f   save the explanation's last heap snapshot to f (.heapsnapshot, loads in
                      Chrome DevTools' Memory panel); implies --explain
  --json              print the LeakReport as JSON (with an "explanation" object when explained)
  -h, --help          show this help`;

const limitOptions = {
  root: { type: 'string' },
  timeout: { type: 'string' },
  'cpu-limit': { type: 'string' },
  memory: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

type Values = Record<string, string | boolean | undefined>;

function parse(argv: string[], options: ParseArgsConfig['options']): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got '${value}')`);
  }
  return n;
}

function limits(values: Record<string, unknown>): Pick<RunRequest, 'timeoutMs' | 'cpuLimitMs' | 'memoryLimitMb'> {
  const timeoutMs = intOption(values.timeout as string | undefined, 'timeout', 1, MAX_TIMEOUT_MS);
  const cpuLimitMs = intOption(values['cpu-limit'] as string | undefined, 'cpu-limit', 1, MAX_TIMEOUT_MS);
  const memoryLimitMb = intOption(values.memory as string | undefined, 'memory', MIN_MEMORY_LIMIT_MB, MAX_MEMORY_LIMIT_MB);
  return { ...(timeoutMs ? { timeoutMs } : {}), ...(cpuLimitMs ? { cpuLimitMs } : {}), ...(memoryLimitMb ? { memoryLimitMb } : {}) };
}

function jsonArgs(value: string | undefined): unknown[] {
  if (value === undefined) return [];
  const parsed = parseJsonText(value);
  if (!parsed.ok) throw new UsageError(parsed.tooDeep ? `--args is ${parsed.message}` : `--args is not valid JSON: ${parsed.message}`);
  if (!Array.isArray(parsed.value)) throw new UsageError(`--args must be a JSON array, like '[1, "two"]'`);
  return parsed.value;
}

export interface Source {
  name: string;
  code: string;
  language: Language;
  /** The folder its imports resolve from (stdin: the current folder). */
  dir: string;
}

function utf8Text(bytes: Uint8Array, name: string): string {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) throw new UsageError(`${name} is ${decoded.message}; save it as UTF-8`);
  return decoded.text;
}

export function readSource(path: string, stdin: () => Uint8Array): Source {
  if (path === '-') {
    const bytes = stdin();
    if (bytes.length > MAX_SOURCE_BYTES) throw new UsageError(`stdin is larger than the ${MAX_SOURCE_BYTES / 1048576} MiB source limit`);
    const code = utf8Text(bytes, 'stdin');
    if (code.trim() === '') throw new UsageError('stdin is empty: nothing to run');
    return { name: 'stdin.js', code, language: 'javascript', dir: process.cwd() };
  }
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(`${path} is a directory, not a script file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${path}: no such file` : code === 'EACCES' ? `${path}: permission denied` : `${path}: ${(error as Error).message}`);
  }
  if (size > MAX_SOURCE_BYTES) throw new UsageError(`${path} is ${(size / 1048576).toFixed(1)} MiB, larger than the ${MAX_SOURCE_BYTES / 1048576} MiB source limit`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
  const code = utf8Text(bytes, path);
  if (code.trim() === '') throw new UsageError(`${path} is empty: nothing to run`);
  return { name: basename(path), code, language: languageOf(path), dir: dirname(resolve(path)) };
}

/** What the engine needs of a source file: its text, language, name and where its imports come from. */
function scriptOf(source: Source, root: string | undefined): Pick<RunRequest, 'code' | 'language' | 'filename' | 'modules'> {
  let modules: ModuleScope;
  try {
    modules = moduleScopeFor(source.dir, root);
  } catch (error) {
    throw error instanceof ModuleRootError ? new UsageError(error.message) : error;
  }
  return { code: source.code, language: source.language, filename: source.name, modules };
}

/** The text of a file an error points into (`RunError.file`, relative to the module root), for the code frame. */
function fileReader(request: Pick<RunRequest, 'modules'>): (file: string) => string | undefined {
  return (file) => {
    try {
      return request.modules ? readFileSync(join(request.modules.root, file), 'utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin(): Uint8Array;
  color: boolean;
}

function nodeIo(): Io {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdin: () => readFileSync(0),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/**
 * The team policy for these limits: an invalid policy file, or limits the policy refuses, are bad
 * input (exit 2) found before any engine starts. Lowered limits show as a warning in the run's output.
 */
function policyFor(limits: Pick<RunRequest, 'timeoutMs' | 'cpuLimitMs' | 'memoryLimitMb'>): ActivePolicy | null {
  const policy = loadTeamPolicy();
  const gate = gateLimits(limits, policy);
  if (!gate.ok) throw new UsageError(gate.message);
  return policy;
}

async function withEngine<T>(policy: ActivePolicy | null, fn: (engine: EngineClient) => Promise<T>): Promise<T> {
  const engine = await EngineClient.start({ policy });
  const stop = () => {
    void engine.close().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    return await fn(engine);
  } finally {
    process.off('SIGINT', stop);
    await engine.close();
  }
}

const runOptions = {
  ...limitOptions,
  'reuse-context': { type: 'boolean' },
  parallel: { type: 'boolean' },
  'cpu-prof': { type: 'boolean' },
  'cpu-prof-dir': { type: 'string' },
  'cpu-prof-name': { type: 'string' },
  'cpu-prof-interval': { type: 'string' },
} satisfies ParseArgsConfig['options'];

/** --cpu-prof and its companions, which (as in Node) mean nothing without it. */
function cpuProfFlags(values: Values, files: number): CpuProfFlags | undefined {
  for (const name of ['cpu-prof-dir', 'cpu-prof-name', 'cpu-prof-interval']) {
    if (values[name] !== undefined && !values['cpu-prof']) throw new UsageError(`--${name} goes with --cpu-prof`);
  }
  if (!values['cpu-prof']) return undefined;
  const name = values['cpu-prof-name'] as string | undefined;
  if (name !== undefined && files > 1) throw new UsageError('--cpu-prof-name names one profile: give one file (or leave the names to --cpu-prof)');
  if (name !== undefined && (name === '' || /[\\/]/.test(name))) throw new UsageError('--cpu-prof-name is a file name; put the folder in --cpu-prof-dir');
  const intervalUs = intOption(values['cpu-prof-interval'] as string | undefined, 'cpu-prof-interval', MIN_PROFILE_INTERVAL_US, MAX_PROFILE_INTERVAL_US);
  return { dir: (values['cpu-prof-dir'] as string | undefined) ?? '.', name, intervalUs };
}

/** How an outside tool finds the script: DevTools and VS Code open a file:// URL as the file itself. */
const scriptUrl = (path: string, source: Source): string => (path === '-' ? source.name : pathToFileURL(resolve(path)).href);

async function runCommand(argv: string[], io: Io): Promise<number> {
  const { rest, inspect } = takeInspectFlag(argv);
  const { values, positionals } = parse(rest, { ...runOptions, values: { type: 'boolean' } });
  if (values.help) {
    io.stdout(RUN_HELP + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('isolab run needs a file to run (or - for stdin)');
  if (inspect && (positionals.length > 1 || values.parallel)) throw new UsageError(`--inspect${inspect.brk ? '-brk' : ''} debugs one script: give one file, without --parallel`);
  const cpuProf = cpuProfFlags(values, positionals.length);
  const lim = limits(values);
  const sources = positionals.map((p) => readSource(p, io.stdin));
  const style: Style = io.color ? COLOR : PLAIN;
  const scripts = sources.map((s) => scriptOf(s, values.root as string | undefined));
  const show = (result: RunResult, i: number) =>
    (values.values ? renderValues(result, style) : '') + renderRunResult(result, sources[i]!.code, style, fileReader(scripts[i]!)) + '\n';
  const results = await withEngine(policyFor(lim), async (engine) => {
    const one = async (s: Source, i: number): Promise<RunResult> => {
      const outside = inspect !== undefined || cpuProf !== undefined;
      const filename = outside ? scriptUrl(positionals[i]!, s) : s.name;
      const request: RunRequest = {
        ...scripts[i]!,
        filename,
        ...lim,
        ...(values['reuse-context'] ? { reuseContext: true } : {}),
        ...(values.values ? { record: { values: true } } : {}),
        ...(cpuProf ? { profile: cpuProf.intervalUs ? { samplingIntervalUs: cpuProf.intervalUs } : {} } : {}),
      };
      const result = inspect ? await inspectRun(engine, request, inspect, { title: s.name, url: filename }, io) : await engine.run(request);
      if (cpuProf) reportProfile(result, cpuProf, io);
      return result;
    };
    if (values.parallel) return Promise.all(sources.map(one));
    const out: RunResult[] = [];
    for (const [i, s] of sources.entries()) {
      const result = await one(s, i);
      out.push(result);
      if (!values.json) {
        if (sources.length > 1) io.stdout(style.bold(`── ${s.name} `) + style.dim('─'.repeat(Math.max(0, 60 - s.name.length))) + '\n');
        io.stdout(show(result, i));
      }
    }
    return out;
  });
  if (values.json) io.stdout(JSON.stringify(results.length === 1 ? results[0] : results, null, 2) + '\n');
  else if (values.parallel) {
    results.forEach((r, i) => {
      if (sources.length > 1) io.stdout(style.bold(`── ${sources[i]!.name} `) + '\n');
      io.stdout(show(r, i));
    });
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

function reportProfile(result: RunResult, flags: CpuProfFlags, io: Io): void {
  if (!result.cpuProfile) {
    io.stderr(`isolab: no CPU profile: the run ended before its profiler started (${result.error?.type ?? 'no error'})\n`);
    return;
  }
  try {
    io.stderr(`CPU profile written to ${writeCpuProfile(result.cpuProfile, flags)}\n`);
  } catch (error) {
    io.stderr(`isolab: could not write the CPU profile: ${(error as Error).message}\n`);
  }
}

async function callCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { ...limitOptions, args: { type: 'string' } });
  if (values.help) {
    io.stdout(CALL_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('isolab call needs a file and a function name: isolab call <file> <function>');
  const [file, name] = positionals as [string, string];
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new UsageError(`'${name}' is not a valid function name`);
  const args = jsonArgs(values.args as string | undefined);
  const lim = limits(values);
  const source = readSource(file, io.stdin);
  const request: RunRequest = { ...scriptOf(source, values.root as string | undefined), call: { name, args: args as never }, ...lim };
  const result = await withEngine(policyFor(lim), (engine) => engine.run(request));
  io.stdout(values.json ? JSON.stringify(result, null, 2) + '\n' : renderRunResult(result, source.code, io.color ? COLOR : PLAIN, fileReader(request)) + '\n');
  return result.ok ? 0 : 1;
}

async function leakCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    timeout: limitOptions.timeout,
    memory: limitOptions.memory,
    root: limitOptions.root,
    json: limitOptions.json,
    help: limitOptions.help,
    function: { type: 'string' },
    args: { type: 'string' },
    iterations: { type: 'string' },
    explain: { type: 'boolean' },
    'heap-snapshot': { type: 'string' },
  });
  if (values.help) {
    io.stdout(LEAK_HELP + '\n');
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('isolab leak needs exactly one file');
  if (values.args !== undefined && values.function === undefined) throw new UsageError('--args goes with --function');
  const fn = values.function as string | undefined;
  if (fn !== undefined && !/^[A-Za-z_$][\w$]*$/.test(fn)) throw new UsageError(`'${fn}' is not a valid function name`);
  const args = jsonArgs(values.args as string | undefined);
  const iterations = intOption(values.iterations as string | undefined, 'iterations', 3, MAX_LEAK_ITERATIONS);
  const timeoutMs = intOption(values.timeout as string | undefined, 'timeout', 1, MAX_TIMEOUT_MS);
  const memoryLimitMb = intOption(values.memory as string | undefined, 'memory', MIN_MEMORY_LIMIT_MB, MAX_MEMORY_LIMIT_MB);
  const source = readSource(positionals[0]!, io.stdin);
  const snapshotTo = values['heap-snapshot'] as string | undefined;
  const showProgress = !values.json && Boolean(process.stderr.isTTY);
  const report = await withEngine(policyFor({ timeoutMs, memoryLimitMb }), (engine) =>
    engine.leak(
      {
        ...scriptOf(source, values.root as string | undefined),
        ...(fn ? { call: { name: fn, args: args as never } } : {}),
        ...(iterations ? { iterations } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(memoryLimitMb ? { memoryLimitMb } : {}),
        ...(values.explain || snapshotTo ? { explain: true } : {}),
        ...(snapshotTo ? { saveSnapshot: true } : {}),
      },
      {
        onEvent: (event) => {
          if (showProgress && event.type === 'leakProgress') io.stderr(`\r  profiling… ${event.sample.iteration}/${event.iterations}`);
        },
      },
    ),
  );
  if (showProgress) io.stderr('\r\x1b[K');
  if (snapshotTo && report.explanation?.snapshotFile) {
    // The host saved it in its temp directory; it may be another file system than the target's.
    copyFileSync(report.explanation.snapshotFile, snapshotTo);
    rmSync(report.explanation.snapshotFile, { force: true });
    report.explanation.snapshotFile = snapshotTo;
  }
  io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : renderLeakReport(report, { color: io.color, width: process.stdout.columns || 80 }) + '\n');
  return report.stoppedBy && report.stoppedBy.type !== 'MemoryLimitError' ? 1 : 0;
}

export async function main(argv: string[], io: Io = nodeIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(HELP + '\n');
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version': {
        const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
        io.stdout(`isolab ${pkg.version} (node ${process.versions.node})\n`);
        return 0;
      }
      case 'run':
        return await runCommand(rest, io);
      case 'call':
        return await callCommand(rest, io);
      case 'leak':
        return await leakCommand(rest, io);
      case 'serve': {
        const { runServe } = await import('../web/serve-command.ts');
        return await runServe(rest);
      }
      case 'workspace': {
        const { workspaceCommand } = await import('./workspace-command.ts');
        return await workspaceCommand(rest, io);
      }
      default:
        throw new UsageError(`unknown command '${command}'. Commands: run, call, leak, serve, workspace (see isolab --help)`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof InspectUsageError) {
      io.stderr(`isolab: ${error.message}\n`);
      return 2;
    }
    io.stderr(`isolab: ${(error as Error)?.message ?? String(error)}\n`);
    return 2;
  }
}
