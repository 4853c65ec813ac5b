import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_TIMEOUT_MS } from '../../../../engine/common/contract.ts';
import { WS_PATH } from '../../../../engine/common/api.ts';
import type { BackendEvent, WsServerFrame } from '../../../../engine/common/api.ts';
import { SERVER_REQUEST_TIMEOUT_MS, startWebServer } from '../../../../engine/web/server.ts';
import type { WebServer } from '../../../../engine/web/server.ts';
import { cookieName } from '../../../../engine/web/security.ts';
import { SettingsStore } from '../../../../engine/workspace/settings-store.ts';
import { Workspace } from '../../../../engine/workspace/workspace.ts';
import { FakeEngine } from '../../../support/fake-engine.ts';
import { httpRequest } from './http-client.ts';

const MAX_BODY = 64 * 1024;
let dir: string;
let engine: FakeEngine;
let server: WebServer;
let base: string;
let auth: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isolab-web-'));
  const rendererDir = join(dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Isolab</title><script type="module" src="/assets/app.js"></script>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'SECRET');
  engine = new FakeEngine();
  server = await startWebServer({
    engine,
    workspace: await Workspace.open(join(dir, 'ws')),
    settings: new SettingsStore(join(dir, 'settings.json')),
    rendererDir,
    port: 0,
    maxBodyBytes: MAX_BODY,
  });
  base = `http://127.0.0.1:${server.port}`;
  auth = { Authorization: `Bearer ${server.token}` };
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function post(path: string, body: unknown, headers: Record<string, string> = auth) {
  return httpRequest(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Writes raw bytes to the server and reads everything it answers until it closes the connection. */
function rawExchange(port: number, request: string): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n');
      resolve({ head: text.slice(0, split + 2), body: text.slice(split + 4) });
    });
  });
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${WS_PATH}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('web mode server: binding and URL', () => {
  it('binds loopback by default and prints a token URL with a 256-bit token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  it('keeps its request timeout longer than the longest allowed run', () => {
    expect(SERVER_REQUEST_TIMEOUT_MS).toBeGreaterThan(MAX_TIMEOUT_MS);
  });
});

describe('web mode server: the gate', () => {
  it('refuses API calls without a token (401)', async () => {
    const res = await post('/api/run', { code: 'x' }, {});
    expect(res.status).toBe(401);
    expect(res.json().error.message).toMatch(/token/);
    expect(engine.runs).toHaveLength(0);
  });

  it('refuses a wrong bearer token and a wrong cookie (401)', async () => {
    expect((await post('/api/run', { code: 'x' }, { Authorization: `Bearer ${'0'.repeat(64)}` })).status).toBe(401);
    expect((await post('/api/run', { code: 'x' }, { Authorization: 'Basic abc' })).status).toBe(401);
    expect((await post('/api/run', { code: 'x' }, { Cookie: `${cookieName(server.port)}=nope` })).status).toBe(401);
    expect((await httpRequest(`${base}/api/health`, { headers: { Cookie: `${cookieName(server.port + 1)}=${server.token}` } })).status).toBe(401);
    expect(engine.runs).toHaveLength(0);
  });

  it('refuses a foreign Host header even with the right token (403, DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`]) {
      const res = await post('/api/run', { code: 'x' }, { ...auth, Host: host });
      expect(res.status, `Host: ${host}`).toBe(403);
    }
    expect(engine.runs).toHaveLength(0);
  });

  it('refuses a request without a Host header (403)', async () => {
    const { connect } = await import('node:net');
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.end(`GET /api/health HTTP/1.0\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(head).toMatch(/^HTTP\/1\.\d 403/);
  });

  it('accepts localhost:PORT as Host', async () => {
    const res = await httpRequest(`${base}/api/health`, { headers: { ...auth, Host: `localhost:${server.port}` } });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Origin even with the right token (403)', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`]) {
      const res = await post('/api/run', { code: 'x' }, { ...auth, Origin: origin });
      expect(res.status, origin).toBe(403);
    }
    const ours = await post('/api/run', { code: 'x' }, { ...auth, Origin: `http://127.0.0.1:${server.port}` });
    expect(ours.status).toBe(200);
  });

  it('refuses an oversize body (413) before parsing it', async () => {
    const before = engine.runs.length;
    const res = await post('/api/run', { code: 'x'.repeat(MAX_BODY) });
    expect(res.status).toBe(413);
    expect(res.json().error.type).toBe('InvalidRequestError');
    expect(engine.runs).toHaveLength(before);
  });

  it('refuses an oversize body sent without Content-Length (chunked)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/api/run`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"code":"');
      for (let i = 0; i < 4; i++) req.write('x'.repeat(MAX_BODY / 2));
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it('answers malformed JSON with 400 and a message', async () => {
    const res = await post('/api/run', '{"code": ');
    expect(res.status).toBe(400);
    expect(res.json().error).toEqual({ type: 'InvalidRequestError', message: expect.stringMatching(/malformed JSON/) });
  });

  it('answers a body that is not a run request with 400 and what is wrong', async () => {
    const res = await post('/api/run', { code: 42 });
    expect(res.status).toBe(400);
    expect(res.json().error.message).toMatch(/code/);
  });

  it('answers a request whose headers do not arrive in time with 408 and what happened (not a bare 400)', async () => {
    const slow = await startWebServer({
      engine,
      workspace: await Workspace.open(join(dir, 'ws-slow')),
      settings: new SettingsStore(join(dir, 'settings-slow.json')),
      rendererDir: join(dir, 'renderer'),
      port: 0,
      headersTimeoutMs: 300,
    });
    try {
      // The headers never end (no blank line): a slow or stuck client.
      const answer = await rawExchange(slow.port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${slow.port}\r\nAuthorization: Bearer ${slow.token}\r\n`);
      expect(answer.head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(answer.head).toMatch(/\r\nConnection: close\r\n/i);
      expect(JSON.parse(answer.body)).toEqual({ error: { type: 'InvalidRequestError', message: 'the request headers did not arrive within 0.3 s; send the whole request again' } });
    } finally {
      await slow.close();
    }
  });

  it('answers a request it cannot parse with 400 and what was wrong, and over-long headers with 431', async () => {
    const garbled = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n');
    expect(garbled.head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(garbled.body).error).toEqual({ type: 'InvalidRequestError', message: expect.stringMatching(/^malformed HTTP request: .*Content-Length/i) });
    const huge = await rawExchange(server.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'x'.repeat(64 * 1024)}\r\n\r\n`);
    expect(huge.head).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(JSON.parse(huge.body).error.message).toBe('the request headers are too large');
  });

  it('requires a JSON content type (415), so cross-site simple requests cannot post', async () => {
    const res = await httpRequest(`${base}/api/run`, { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{"code":"x"}' });
    expect(res.status).toBe(415);
  });

  it('refuses the WebSocket upgrade without token, with a foreign Origin or a foreign Host', async () => {
    await expect(openSocket({})).rejects.toThrow(/401/);
    await expect(openSocket({ ...auth, Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(openSocket({ ...auth, Host: 'evil.example' })).rejects.toThrow(/403/);
  });

  it('serves no page without the token', async () => {
    const res = await httpRequest(`${base}/`);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('<script');
  });
});

describe('web mode server: the token URL and static files', () => {
  it('trades ?token= for an HttpOnly SameSite cookie and redirects to a clean URL', async () => {
    const res = await httpRequest(server.url);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain(`${cookieName(server.port)}=${server.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await httpRequest(`${base}/`, { headers: { Cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Isolab</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers a wrong ?token= with 401 and sets no cookie', async () => {
    const res = await httpRequest(`${base}/?token=wrong`);
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('serves assets, and nothing outside the renderer folder', async () => {
    expect((await httpRequest(`${base}/assets/app.js`, { headers: auth })).headers['content-type']).toMatch(/javascript/);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await httpRequest(`${base}${path}`, { headers: auth });
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('SECRET');
    }
  });
});

describe('web mode server: JSON API', () => {
  it('runs code and returns the RunResult', async () => {
    const res = await post('/api/run', { code: 'return 1', timeoutMs: 100 });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, value: { code: 'return 1' } });
  });

  it('calls a function by name with JSON arguments', async () => {
    const res = await post('/api/call', { code: 'function f(a) {}', name: 'f', args: [1] });
    expect(res.json()).toMatchObject({ ok: true, value: { call: 'f' } });
    expect(engine.runs.at(-1)?.request.call).toEqual({ name: 'f', args: [1] });
    expect((await post('/api/call', { code: 'x' })).status).toBe(400);
  });

  it('profiles leaks', async () => {
    const res = await post('/api/leak', { code: 'x', iterations: 5 });
    expect(res.json()).toMatchObject({ verdict: 'stable', iterations: 5 });
  });

  it('reports health: pool, restarts, interrupts', async () => {
    const res = await httpRequest(`${base}/api/health`, { headers: auth });
    expect(res.json()).toMatchObject({ ok: true, state: 'ready', restarts: 0, interrupts: expect.any(Object) });
  });

  it('returns a timed-out run as its TimeoutError JSON', async () => {
    const res = await post('/api/run', { code: 'hang', timeoutMs: 300 });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, error: { type: 'TimeoutError' } });
  });

  it('cancels a run whose client hangs up', async () => {
    const { request } = await import('node:http');
    const req = request(`${base}/api/run`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' } });
    req.on('error', () => undefined);
    const before = engine.runs.length;
    req.end(JSON.stringify({ code: 'hang', timeoutMs: 60_000 }));
    await expect.poll(() => engine.runs.length).toBe(before + 1);
    const runId = engine.runs.at(-1)!.runId;
    req.destroy();
    await expect.poll(() => engine.cancelled).toContain(runId);
  });

  it('answers unknown endpoints with 404 and wrong methods with 405', async () => {
    expect((await post('/api/nope', {})).status).toBe(404);
    expect((await httpRequest(`${base}/api/run`, { headers: auth })).status).toBe(405);
  });
});

describe('web mode server: WebSocket channel table', () => {
  function next(ws: WebSocket, predicate: (frame: WsServerFrame) => boolean): Promise<WsServerFrame> {
    return new Promise((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const frame = JSON.parse(data.toString()) as WsServerFrame;
        if (predicate(frame)) {
          ws.off('message', onMessage);
          resolve(frame);
        }
      };
      ws.on('message', onMessage);
    });
  }
  const reply = (id: number) => (f: WsServerFrame) => 'id' in f && f.id === id;
  /** The first event matching `predicate`, wherever it sits in a batch frame. */
  function nextEvent(ws: WebSocket, predicate: (event: BackendEvent) => boolean): Promise<BackendEvent> {
    return next(ws, (f) => 'events' in f && f.events.some(predicate)).then((f) => (f as { events: BackendEvent[] }).events.find(predicate)!);
  }

  it('dispatches channel frames and answers with the same id', async () => {
    const ws = await openSocket(auth);
    const answer = next(ws, reply(1));
    ws.send(JSON.stringify({ id: 1, channel: 'workspace.list', payload: {} }));
    expect(await answer).toEqual({ id: 1, reply: { ok: true, value: { scripts: [] } } });
    const bad = next(ws, reply(2));
    ws.send(JSON.stringify({ id: 2, channel: 'workspace.read', payload: { name: '../x.js' } }));
    expect(await bad).toMatchObject({ id: 2, reply: { ok: false, error: { type: 'InvalidRequestError' } } });
    ws.close();
  });

  it('answers unreadable frames instead of dropping the connection', async () => {
    const ws = await openSocket(auth);
    const garbage = next(ws, reply(-1));
    ws.send('not json');
    expect(await garbage).toMatchObject({ reply: { ok: false, error: { type: 'InvalidRequestError' } } });
    const noChannel = next(ws, reply(7));
    ws.send(JSON.stringify({ id: 7 }));
    expect(await noChannel).toMatchObject({ reply: { ok: false } });
    ws.close();
  });

  it('accepts the cookie from the token URL for the upgrade', async () => {
    const ws = await openSocket({ Cookie: `${cookieName(server.port)}=${server.token}`, Origin: `http://127.0.0.1:${server.port}` });
    ws.close();
  });

  it('sends a run result once to the page that asked (as the reply), and as an event to the others', async () => {
    const a = await openSocket(auth);
    const b = await openSocket(auth);
    const seenByA: WsServerFrame[] = [];
    a.on('message', (data: WebSocket.RawData) => seenByA.push(JSON.parse(data.toString()) as WsServerFrame));
    const finishedForB = nextEvent(b, (e) => e.type === 'runFinished' && e.runId === 'once');
    const answer = next(a, reply(7));
    a.send(JSON.stringify({ id: 7, channel: 'run', payload: { code: 'log:hello', runId: 'once' } }));
    expect(await answer).toMatchObject({ id: 7, reply: { ok: true, value: { runId: 'once' } } });
    expect(await finishedForB).toMatchObject({ type: 'runFinished', runId: 'once' });
    await new Promise((r) => setTimeout(r, 50));
    const eventsForA = seenByA.flatMap((f) => ('events' in f ? f.events : []));
    expect(eventsForA.some((e) => e.type === 'log' && e.runId === 'once')).toBe(true);
    expect(eventsForA.some((e) => e.type === 'runFinished')).toBe(false);
    a.close();
    b.close();
  });

  it("relays a page's debugger messages to its run and its inspector events back to the page", async () => {
    const a = await openSocket(auth);
    const b = await openSocket(auth);
    a.send(JSON.stringify({ id: 1, channel: 'run', payload: { code: 'hang', runId: 'dbg-ws', timeoutMs: 60_000, debug: { waitForDebugger: true } } }));
    await expect.poll(() => engine.runs.at(-1)?.runId).toBe('dbg-ws');
    const sent = next(a, reply(2));
    a.send(JSON.stringify({ id: 2, channel: 'inspect', payload: { runId: 'dbg-ws', message: '{"id":1,"method":"Debugger.enable"}' } }));
    expect(await sent).toMatchObject({ id: 2, reply: { ok: true, value: { sent: true } } });
    const refused = next(b, reply(3));
    b.send(JSON.stringify({ id: 3, channel: 'inspect', payload: { runId: 'dbg-ws', message: '{"id":2,"method":"Debugger.resume"}' } }));
    expect(await refused).toMatchObject({ id: 3, reply: { ok: false, error: { type: 'ForbiddenError' } } });
    const notification = nextEvent(a, (e) => e.type === 'inspector');
    engine.emit({ type: 'inspector', runId: 'dbg-ws', message: '{"method":"Debugger.paused","params":{}}' });
    expect(await notification).toEqual({ type: 'inspector', runId: 'dbg-ws', message: '{"method":"Debugger.paused","params":{}}' });
    expect(engine.inspected).toEqual([{ runId: 'dbg-ws', message: '{"id":1,"method":"Debugger.enable"}' }]);
    a.close();
    b.close();
  });

  it('pushes run events and engine restarts to every page, and cancels the runs of a page that leaves', async () => {
    const a = await openSocket(auth);
    const b = await openSocket(auth);
    const log = nextEvent(b, (e) => e.type === 'log');
    a.send(JSON.stringify({ id: 1, channel: 'run', payload: { code: 'log:hello', runId: 'ev1' } }));
    expect(await log).toEqual({ type: 'log', runId: 'ev1', entry: { level: 'log', text: 'hello', timeMs: 0 } });

    const restarting = nextEvent(b, (e) => e.type === 'engine' && e.state === 'restarting');
    const ready = nextEvent(b, (e) => e.type === 'engine' && e.state === 'ready');
    engine.crash('host killed');
    expect(await restarting).toEqual({ type: 'engine', state: 'restarting', reason: 'host killed' });
    await ready;

    a.send(JSON.stringify({ id: 2, channel: 'run', payload: { code: 'hang', runId: 'left-behind', timeoutMs: 60_000 } }));
    await expect.poll(() => engine.runs.at(-1)?.runId).toBe('left-behind');
    a.close();
    await expect.poll(() => engine.cancelled).toContain('left-behind');
    b.close();
  });
});
