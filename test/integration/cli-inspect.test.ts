/**
 * `isolab run --inspect-brk / --inspect / --cpu-prof` as a child process, driven the way Chrome
 * DevTools drives Node: read /json/list, open the WebSocket it names, speak the DevTools protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CpuProfile } from '../../engine/common/inspect.ts';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'isolab-cli-inspect-'));
const script = (name: string, code: string) => {
  const path = join(dir, name);
  writeFileSync(path, code);
  return path;
};

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves with the first match of `re` in stderr. */
  stderrMatch(re: RegExp): Promise<RegExpExecArray>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function isolab(args: string[]): Cli {
  const child = spawn(process.execPath, [join(ROOT, 'bin/isolab.mjs'), ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let out = '';
  let err = '';
  const watchers: (() => void)[] = [];
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => {
    err += c;
    for (const w of watchers) w();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    stderrMatch: (re) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(err);
          if (m) resolve(m);
        };
        watchers.push(check);
        check();
        void exited.then(() => reject(new Error(`isolab exited before printing ${re}; stderr: ${err}`)));
      }),
  };
}

/** A bare-bones DevTools: requests by id, notifications by method. */
class Cdp {
  #id = 0;
  readonly #replies = new Map<number, (m: any) => void>();
  readonly #seen: any[] = [];
  readonly #waiters: { method: string; where: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  readonly ws: WebSocket;
  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.id !== undefined) return this.#replies.get(m.id)?.(m);
      const i = this.#waiters.findIndex((w) => w.method === m.method && w.where(m.params));
      if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(m.params);
      else this.#seen.push(m);
    });
  }
  static connect(url: string): Promise<Cdp> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(new Cdp(ws)));
      ws.once('error', reject);
    });
  }
  send(method: string, params: object = {}): Promise<any> {
    const id = ++this.#id;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.#replies.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result))));
  }
  next(method: string, where: (p: any) => boolean = () => true): Promise<any> {
    const i = this.#seen.findIndex((m) => m.method === method && where(m.params));
    if (i >= 0) return Promise.resolve(this.#seen.splice(i, 1)[0].params);
    return new Promise((resolve) => this.#waiters.push({ method, where, resolve }));
  }
}

async function attach(cli: Cli): Promise<{ cdp: Cdp; port: number; list: any[] }> {
  const m = await cli.stderrMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\/([0-9a-f-]+)/);
  const port = Number(m[1]);
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as any[];
  return { cdp: await Cdp.connect(list[0].webSocketDebuggerUrl), port, list };
}

/** Each test starts the CLI (Node 24 and an engine host): seconds on a loaded machine. */
const SLOW = { timeout: 90_000 };

const lineOf = (paused: any) => paused.callFrames[0].location.lineNumber + 1;

describe('isolab run --inspect-brk', SLOW, () => {
  it('waits for DevTools, which sets a breakpoint, reads a local, resumes; the CLI prints the value', async () => {
    const path = script('debug-me.js', 'const base = 20;\nfunction compute(n) {\n  const doubled = n * 2;\n  return doubled + 1;\n}\ncompute(base)\n');
    const url = pathToFileURL(path).href;
    const cli = isolab(['run', '--inspect-brk=0', path]);
    const { cdp, list } = await attach(cli);
    expect(list).toEqual([expect.objectContaining({ type: 'node', title: 'debug-me.js', url })]);
    expect(cli.stderr()).toMatch(/devtools:\/\/devtools\/bundled\/js_app\.html\?experiments=true&v8only=true&ws=127\.0\.0\.1:\d+\//);

    // Like a person opening DevTools: late, after the engine has set up the run's debugger session.
    await new Promise((r) => setTimeout(r, 1_500));
    await cdp.send('Runtime.enable');
    const parsed = cdp.next('Debugger.scriptParsed', (p) => p.url === url);
    await cdp.send('Debugger.enable');
    await parsed; // DevTools shows only scripts it was told of
    await cdp.send('Debugger.setBreakpointByUrl', { url, lineNumber: 3 });
    const entry = cdp.next('Debugger.paused');
    await cdp.send('Runtime.runIfWaitingForDebugger');
    expect(lineOf(await entry)).toBe(1);
    const atBreakpoint = cdp.next('Debugger.paused');
    await cdp.send('Debugger.resume');
    const paused = await atBreakpoint;
    expect(lineOf(paused)).toBe(4);
    const frame = paused.callFrames[0];
    expect(frame.functionName).toBe('compute');
    const local = frame.scopeChain.find((s: any) => s.type === 'local');
    const props = await cdp.send('Runtime.getProperties', { objectId: local.object.objectId, ownProperties: true });
    expect(props.result.find((p: any) => p.name === 'doubled')?.value.value).toBe(40);
    const closed = new Promise((resolve) => cdp.ws.once('close', resolve));
    await cdp.send('Debugger.resume');

    expect(await cli.exited).toBe(0);
    await closed;
    expect(cli.stdout()).toMatch(/← 41/);
    expect(cli.stdout()).toMatch(/paused in the debugger/);
  });
});

describe('isolab run --inspect-brk on a script that starts with a function', SLOW, () => {
  it('stops on entry once, not on every call of that function', async () => {
    const cli = isolab(['run', '--inspect-brk=0', script('fn-first.js', 'function twice(n) {\n  return n * 2;\n}\ntwice(1) + twice(2) + twice(3)\n')]);
    const { cdp } = await attach(cli);
    await cdp.send('Debugger.enable');
    const entry = cdp.next('Debugger.paused');
    await cdp.send('Runtime.runIfWaitingForDebugger');
    await entry;
    let pausesAfter = 0;
    cdp.ws.on('message', (d) => void (String(d).includes('"Debugger.paused"') && pausesAfter++));
    await cdp.send('Debugger.resume');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/← 12/);
    expect(pausesAfter).toBe(0);
  });
});

describe('a client that leaves', SLOW, () => {
  it('lets a run that waited for it go on without stopping, to its result', async () => {
    const cli = isolab(['run', '--inspect-brk=0', script('left.js', 'debugger;\n"went on"\n')]);
    const { cdp } = await attach(cli);
    await cdp.send('Debugger.enable');
    cdp.ws.close();
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/← 'went on'/);
    expect(cli.stderr()).toMatch(/Debugger detached: the run goes on without stopping/);
  });
});

describe('isolab run --inspect', SLOW, () => {
  it('runs at once and does not stop on debugger statements while no client is attached', async () => {
    const cli = isolab(['run', '--inspect=0', script('no-client.js', 'let x = 1;\ndebugger;\nx + 1\n')]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/← 2/);
    expect(cli.stderr()).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:\d+\//);
  });

  it('lets a client attach while the run goes on: it sees the script and stops at debugger statements', async () => {
    const path = script('late.js', 'while (!globalThis.go) await new Promise((r) => setTimeout(r, 10));\ndebugger;\n"done"\n');
    const cli = isolab(['run', '--inspect=0', '--timeout', '60000', path]);
    const { cdp } = await attach(cli);
    await cdp.send('Runtime.enable');
    const parsed = cdp.next('Debugger.scriptParsed', (p) => p.url === pathToFileURL(path).href);
    await cdp.send('Debugger.enable');
    const { executionContextId } = await parsed;
    const paused = cdp.next('Debugger.paused');
    // In the script's own context (the isolate has another, its default one).
    await cdp.send('Runtime.evaluate', { expression: 'globalThis.go = true', contextId: executionContextId });
    expect(lineOf(await paused)).toBe(2);
    await cdp.send('Debugger.resume');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(/← 'done'/);
  });

  it('refuses a host that is not loopback with exit 2', async () => {
    const cli = isolab(['run', '--inspect=0.0.0.0:9229', script('any.js', '1')]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/loopback only/);
  });
});

describe('isolab run --cpu-prof', SLOW, () => {
  it('writes a .cpuprofile whose nodes name the hot function and its line', async () => {
    const path = script('hot.js', '// warm up\nfunction hot(n) {\n  let s = 0;\n  for (let i = 0; i < n; i++) s += Math.sqrt(i);\n  return s;\n}\nfor (let k = 0; k < 300; k++) hot(20000);\n"ok"\n');
    const out = join(dir, 'profiles');
    const cli = isolab(['run', '--cpu-prof', '--cpu-prof-dir', out, path]);
    expect(await cli.exited).toBe(0);
    const [file] = readdirSync(out);
    expect(file).toMatch(/^CPU\.\d{8}\.\d{6}\.\d+\.001\.cpuprofile$/);
    expect(cli.stderr()).toContain(`CPU profile written to ${join(out, file!)}`);
    const profile = JSON.parse(readFileSync(join(out, file!), 'utf8')) as CpuProfile;
    const hot = profile.nodes.find((n) => n.callFrame.functionName === 'hot');
    expect(hot?.callFrame.url).toBe(pathToFileURL(path).href);
    expect(hot!.callFrame.lineNumber + 1).toBe(2);
    expect(profile.samples?.length).toBeGreaterThan(0);
  });
});

describe('stop receipts', SLOW, () => {
  it('a timed-out loop prints where it stopped and that it was busy', async () => {
    const cli = isolab(['run', '--timeout', '200', script('spin.js', 'let i = 0;\nfunction spin() {\n  for (;;) i++;\n}\nspin();\n')]);
    expect(await cli.exited).toBe(1);
    expect(cli.stdout()).toMatch(/TimeoutError/);
    expect(cli.stdout()).toMatch(/^stopped at line 3, column \d+: busy for \d+ ms$/m);
  });

  it('a waiting run lists what it waited on', async () => {
    const cli = isolab(['run', '--timeout', '200', script('wait.js', 'const x = 1;\nsetTimeout(() => {}, 60_000);\nawait new Promise(() => {});\n')]);
    expect(await cli.exited).toBe(1);
    expect(cli.stdout()).toMatch(/^stopped: waiting for \d+ ms \(CPU .*\)$/m);
    expect(cli.stdout()).toMatch(/^ {2}waiting on a timer \(60\.0 s\) set at line 2, column \d+$/m);
  });
});
