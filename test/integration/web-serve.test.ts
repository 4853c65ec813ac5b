/**
 * `isolab serve` as a user starts it: a real process with a real engine host behind it. Checks the
 * one printed line, the loopback bind, and that a run which times out comes back through the API
 * as its TimeoutError JSON (the connection stays open until the result is sent).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PATH } from '../../engine/common/api.ts';
import { MAX_SOURCE_BYTES } from '../../engine/common/contract.ts';
import { readSource } from '../../engine/cli/main.ts';
import { httpRequest } from '../unit/engine/web/http-client.ts';

const ROOT = join(import.meta.dirname, '../..');
const LINE = /^Isolab running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64}))$/;

let dir: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let port: number;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-serve-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Isolab</title>');
  child = spawn(process.execPath, [join(ROOT, 'engine/web/serve-main.ts'), '--port', '0', '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const found = LINE.exec(stdout.split('\n')[0] ?? '');
      if (found && stdout.includes('\n')) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  port = Number(match[2]);
  token = match[3];
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

function post(path: string, body: unknown) {
  return postRaw(path, JSON.stringify(body));
}

function postRaw(path: string, body: string | Buffer) {
  return httpRequest(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body,
  });
}

/** `n` arrays inside each other, as JSON text. */
const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

function openSocket(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, { headers: { Authorization: `Bearer ${token}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one text frame and waits for the reply frame (or the socket closing, with its code). */
function exchange(ws: WebSocket, text: string | Buffer): Promise<{ reply?: any; closed?: number }> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if ('reply' in frame) resolve({ reply: frame });
    });
    ws.once('close', (code) => resolve({ closed: code }));
    ws.send(text, { binary: false });
  });
}

describe('isolab serve (real engine)', () => {
  it('prints exactly one line on stdout: the token URL', () => {
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout.trimEnd()).toMatch(LINE);
  });

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      console.warn('loopback bind: no non-loopback IPv4 interface on this machine, checked 127.0.0.1 only');
    } else {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(port, external.address);
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused, `port ${port} must not be reachable on ${external.address}`).toBe(true);
    }
    const health = await httpRequest(`http://127.0.0.1:${port}/api/health`, { headers: { Authorization: `Bearer ${token}` } });
    expect(health.json()).toMatchObject({ ok: true, state: 'ready', pool: { size: expect.any(Number) } });
  });

  it('runs code through the API with the same RunResult as everywhere', async () => {
    const res = await post('/api/run', { code: 'console.log("hi"); return [1, 2].map((x) => x * 2)' });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, value: [2, 4], logs: [{ level: 'log', text: 'hi' }] });
  });

  it('never lets an HTTP caller choose where imports are read from', async () => {
    // The contract's requests are strict: `modules` is not a field an HTTP caller may send.
    const chosen = await post('/api/run', { code: "import { hostname } from '/etc/hostname.js';\nhostname", modules: { dir: '/', root: '/' } });
    expect(chosen.status).toBe(400);
    expect(JSON.stringify(chosen.json())).toContain('modules');
    const res = await post('/api/run', { code: "import { hostname } from '/etc/hostname.js';\nhostname" });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, error: { type: 'ImportError', message: expect.stringContaining('no folder to import from') } });
    const buffer = await post('/api/run', { code: "import { Buffer as B } from 'buffer';\nB === Buffer" });
    expect(buffer.json()).toMatchObject({ ok: true, value: true });
  });

  it('calls a top-level function by name', async () => {
    const res = await post('/api/call', { code: 'function add(a, b) { return a + b }', name: 'add', args: [2, 3] });
    expect(res.json()).toMatchObject({ ok: true, value: 5 });
  });

  it('returns a long synchronous run as TimeoutError JSON, on the same open connection', async () => {
    const res = await post('/api/run', { code: 'while (true) {}', timeoutMs: 3000 });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, error: { type: 'TimeoutError' } });
  }, 60_000);

  it('returns a never-settling promise as TimeoutError JSON', async () => {
    const res = await post('/api/run', { code: 'await new Promise(() => {})', timeoutMs: 2000 });
    expect(res.json()).toMatchObject({ ok: false, error: { type: 'TimeoutError' } });
  }, 60_000);

  it('refuses requests without the token', async () => {
    const res = await httpRequest(`http://127.0.0.1:${port}/api/run`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"code":"1"}' });
    expect(res.status).toBe(401);
  });

  describe('hostile input, as a new user would send it', () => {
    it('answers call arguments nested 100,000 deep with 400 and why, in /api/call and in /api/run', async () => {
      const why = { type: 'InvalidRequestError', message: 'invalid request: JSON nested deeper than 512 levels (arrays and objects)' };
      const call = await postRaw('/api/call', `{"code":"function f() {}","name":"f","args":[${nested(100_000)}]}`);
      expect([call.status, call.json().error]).toEqual([400, why]);
      const run = await postRaw('/api/run', `{"code":"function f() {}","call":{"name":"f","args":[${nested(100_000)}]}}`);
      expect([run.status, run.json().error]).toEqual([400, why]);
      // Nesting a program may really use still works.
      const fine = await postRaw('/api/call', `{"code":"function depth(a) { let d = 0; while (Array.isArray(a)) { a = a[0]; d++ } return d }","name":"depth","args":[${nested(100)}]}`);
      expect(fine.json()).toMatchObject({ ok: true, value: 100 });
    });

    it('refuses unknown fields with 400 naming them, so a misspelled limit never runs with the default', async () => {
      const run = await post('/api/run', { code: 'while (true) {}', timeoutMS: 200 });
      expect(run.status).toBe(400);
      expect(run.json().error).toEqual({ type: 'InvalidRequestError', message: 'invalid request: body: unknown field "timeoutMS" (did you mean "timeoutMs"?)' });
      const call = await post('/api/call', { code: 'function f() {}', name: 'f', argz: [1] });
      expect(call.json().error.message).toBe('invalid request: body: unknown field "argz" (did you mean "args"?)');
      const leak = await post('/api/leak', { code: '1', iterations: 5, call: { name: 'f', args: [], extra: 1 } });
      expect(leak.json().error.message).toBe('invalid request: call: unknown field "extra"');
    });

    it('refuses a body that is not UTF-8 with 400 and where, as the CLI refuses such a file', async () => {
      const before = Buffer.from(`{"code":"return 'a`);
      const run = await postRaw('/api/run', Buffer.concat([before, Buffer.from([0xff]), Buffer.from(`b'"}`)]));
      expect(run.status).toBe(400);
      expect(run.json().error.message).toBe(`request body is not valid UTF-8 text (first bad byte near offset ${before.length}); send UTF-8`);
    });

    it('measures the 16 MiB source limit in UTF-8 bytes, as the CLI does', async () => {
      const over = `//${'é'.repeat(8 * 1024 * 1024)}`; // 8 Mi + 2 characters, 16 MiB + 2 bytes
      const refused = await post('/api/run', { code: over });
      expect(refused.status).toBe(400);
      expect(refused.json().error.message).toBe('invalid request: code: source is larger than 16 MiB (UTF-8)');
      const exact = `return 7\n//${'a'.repeat(MAX_SOURCE_BYTES - 11)}`;
      expect(Buffer.byteLength(exact)).toBe(MAX_SOURCE_BYTES);
      expect((await post('/api/run', { code: exact, timeoutMs: 60_000 })).json()).toMatchObject({ ok: true, value: 7 });
      // The CLI takes and refuses the very same text as a file.
      const files = await mkdtemp(join(tmpdir(), 'isolab-limit-'));
      await writeFile(join(files, 'exact.js'), exact);
      await writeFile(join(files, 'over.js'), over);
      const none = () => new Uint8Array();
      expect(readSource(join(files, 'exact.js'), none).code).toBe(exact);
      expect(() => readSource(join(files, 'over.js'), none)).toThrow(/larger than the 16 MiB source limit/);
      await rm(files, { recursive: true });
    }, 60_000);

    it('answers a request line it cannot parse with 400 and what was wrong', async () => {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/9.9 nonsense\r\nHost: x\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('close', () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.message).toMatch(/^malformed HTTP request: /);
    });

    it('applies the same rules to WebSocket frames, and the server stays up', async () => {
      const health = async () => (await httpRequest(`http://127.0.0.1:${port}/api/health`, { headers: { Authorization: `Bearer ${token}` } })).json();
      const { restarts } = await health();
      const ws = await openSocket();
      const deep = await exchange(ws, `{"id":1,"channel":"run","payload":{"code":"1","call":{"name":"f","args":[${nested(100_000)}]}}}`);
      expect(deep.reply).toEqual({ id: -1, reply: { ok: false, error: { type: 'InvalidRequestError', message: 'JSON nested deeper than 512 levels (arrays and objects)' } } });
      const unknown = await exchange(ws, JSON.stringify({ id: 2, channel: 'run', payload: { code: '1', timeoutMS: 200 } }));
      expect(unknown.reply).toEqual({ id: 2, reply: { ok: false, error: { type: 'InvalidRequestError', message: 'invalid run request: payload: unknown field "timeoutMS" (did you mean "timeoutMs"?)' } } });
      const envelope = await exchange(ws, JSON.stringify({ id: 3, channel: 'status', payload: {}, extra: true }));
      expect(envelope.reply.reply.error.message).toMatch(/unknown field "extra"/);
      // A text frame that is not UTF-8 fails the connection (RFC 6455: 1007), never a repaired text.
      expect(await exchange(ws, Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({ closed: 1007 });
      expect(await health()).toMatchObject({ ok: true, restarts });
    });
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
