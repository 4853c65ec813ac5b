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
  return httpRequest(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
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
    const res = await post('/api/run', { code: "import { hostname } from '/etc/hostname.js';\nhostname", modules: { dir: '/', root: '/' } });
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

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
