import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DevtoolsEndpoint } from '../../../../engine/client/devtools-endpoint.ts';

const open: DevtoolsEndpoint[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function endpoint(extra: Partial<Parameters<typeof DevtoolsEndpoint.listen>[0]> = {}) {
  const received: string[] = [];
  const events: string[] = [];
  const e = await DevtoolsEndpoint.listen({
    port: 0,
    title: 'a.js',
    url: 'file:///tmp/a.js',
    onMessage: (m) => received.push(m),
    onAttach: () => events.push('attach'),
    onDetach: () => events.push('detach'),
    ...extra,
  });
  open.push(e);
  return { e, received, events };
}

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(url: string, host?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, host ? { headers: { host } } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe('DevtoolsEndpoint', () => {
  it('lists its one target the way chrome://inspect and VS Code read it', async () => {
    const { e } = await endpoint();
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.webSocketUrl).toBe(`ws://127.0.0.1:${e.port}/${e.id}`);
    expect(e.devtoolsUrl).toBe(`devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=127.0.0.1:${e.port}/${e.id}`);
    for (const path of ['/json', '/json/list', '/json/list/']) {
      const { status, body } = await get(e.port, path);
      expect(status).toBe(200);
      expect(body).toEqual([
        expect.objectContaining({ id: e.id, type: 'node', title: 'a.js', url: 'file:///tmp/a.js', webSocketDebuggerUrl: e.webSocketUrl, devtoolsFrontendUrl: e.devtoolsUrl }),
      ]);
    }
    expect((await get(e.port, '/json/version')).body).toMatchObject({ 'Protocol-Version': '1.1' });
  });

  it('answers 404 for any other path, and a WebSocket only at its random path', async () => {
    const { e } = await endpoint();
    expect((await get(e.port, '/')).status).toBe(404);
    expect((await get(e.port, '/json/protocol')).status).toBe(404);
    expect((await get(e.port, `/${e.id}`)).status).toBe(404);
    await expect(connect(`ws://127.0.0.1:${e.port}/`)).rejects.toThrow(/404/);
    await expect(connect(`ws://127.0.0.1:${e.port}/${e.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`)).rejects.toThrow(/404/);
  });

  it('uses a fresh unguessable id each time', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await endpoint()).e.id);
    expect(ids.size).toBe(5);
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const { e } = await endpoint();
    expect((await get(e.port, '/json/list', `evil.example:${e.port}`)).status).toBe(403);
    await expect(connect(e.webSocketUrl, 'evil.example')).rejects.toThrow(/403/);
    expect((await get(e.port, '/json/list', `localhost:${e.port}`)).status).toBe(200);
  });

  it('listens on loopback only', async () => {
    await expect(DevtoolsEndpoint.listen({ host: '0.0.0.0', port: 0, title: 'a', url: 'a', onMessage: () => {} })).rejects.toThrow(/loopback/);
    await expect(DevtoolsEndpoint.listen({ host: '192.168.1.10', port: 0, title: 'a', url: 'a', onMessage: () => {} })).rejects.toThrow(/loopback/);
    const { e } = await endpoint({ host: 'localhost' });
    expect(e.webSocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:/);
  });

  it('relays frames both ways with one client at a time, and closes the client when closed', async () => {
    const { e, received, events } = await endpoint();
    const ws = await connect(e.webSocketUrl);
    expect(events).toEqual(['attach']);
    await expect(connect(e.webSocketUrl)).rejects.toThrow(/409/);
    const reply = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.send('{"id":1,"method":"Runtime.enable"}');
    await expect.poll(() => received).toEqual(['{"id":1,"method":"Runtime.enable"}']);
    e.send('{"id":1,"result":{}}');
    expect(await reply).toBe('{"id":1,"result":{}}');
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await e.close();
    expect(await closed).toBe(1000);
    await expect.poll(() => events).toEqual(['attach', 'detach']);
  });
});
