/**
 * The engine host is killed while web mode is serving a page: the page hears about it over its
 * WebSocket, the run in flight ends with EngineCrashedError, a new host starts, and the next run
 * works. Real EngineClient, real host process; the web server runs in this process.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiReply, BackendEvent, WsServerFrame } from '../../engine/common/api.ts';
import { runServe } from '../../engine/web/serve-command.ts';
import type { WebServer } from '../../engine/web/server.ts';
import { WS_PATH } from '../../engine/common/api.ts';
import { httpRequest } from '../unit/engine/web/http-client.ts';

let dir: string;
let server: WebServer;
let stop: () => void;
let done: Promise<number>;
let ws: WebSocket;
const events: BackendEvent[] = [];
const replies = new Map<number, (reply: ApiReply) => void>();
let nextId = 1;

function call(channel: string, payload: unknown): Promise<ApiReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    replies.set(id, resolve);
    ws.send(JSON.stringify({ id, channel, payload }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-restart-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  const up = new Promise<WebServer>((resolve) => {
    done = runServe(['--port', '0', '--no-open', '--data-dir', join(dir, 'data'), '--renderer-dir', join(dir, 'renderer')], {
      stdout: () => undefined,
      onListening: resolve,
      stopSignal: new Promise<void>((resolve) => (stop = resolve)),
    });
  });
  server = await Promise.race([up, done.then((code) => Promise.reject(new Error(`serve ended with ${code}`)))]);
  ws = new WebSocket(`ws://127.0.0.1:${server.port}${WS_PATH}`, { headers: { Authorization: `Bearer ${server.token}`, Origin: `http://127.0.0.1:${server.port}` } });
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as WsServerFrame;
    if ('events' in frame) events.push(...frame.events);
    else replies.get(frame.id)?.(frame.reply);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
}, 90_000);

afterAll(async () => {
  ws?.close();
  stop?.();
  expect(await done).toBe(0);
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('engine host killed while web mode serves a page', () => {
  it('tells the page, fails the run in flight with EngineCrashedError, restarts, and runs again', async () => {
    const health = (await httpRequest(`http://127.0.0.1:${server.port}/api/health`, { headers: { Authorization: `Bearer ${server.token}` } })).json();
    const pid = health.hostPid as number;
    expect(pid).toBeGreaterThan(0);

    const inFlight = call('run', { code: 'while (true) {}', timeoutMs: 60_000, runId: 'doomed' });
    await expect.poll(async () => ((await call('status', {})) as { ok: true; value: { pool?: { busy: number } } }).value.pool?.busy, { timeout: 20_000 }).toBe(1);
    process.kill(pid, 'SIGKILL');

    const crashed = await inFlight;
    expect(crashed).toMatchObject({ ok: true, value: { runId: 'doomed', ok: false, error: { type: 'EngineCrashedError' } } });
    await expect.poll(() => events.filter((e) => e.type === 'engine'), { timeout: 30_000 }).toEqual([
      { type: 'engine', state: 'restarting', reason: expect.any(String) },
      { type: 'engine', state: 'ready' },
    ]);

    const again = await call('run', { code: 'return 6 * 7' });
    expect(again).toMatchObject({ ok: true, value: { ok: true, value: 42 } });
    const after = (await httpRequest(`http://127.0.0.1:${server.port}/api/health`, { headers: { Authorization: `Bearer ${server.token}` } })).json();
    expect(after.hostPid).not.toBe(pid);
    expect(after.restarts).toBe(1);
  }, 90_000);
});
