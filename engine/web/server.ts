/**
 * The web mode server: one loopback HTTP server that serves the built renderer, the JSON API and
 * the channel WebSocket, all behind the same gate (security.ts). It takes an Engine, so tests can
 * hand it a fake and `isolab serve` hands it an EngineClient.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { WS_PATH } from '../common/api.ts';
import { MAX_TIMEOUT_MS } from '../common/contract.ts';
import type { Engine } from '../client/api.ts';
import type { SettingsStore } from '../workspace/settings-store.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { Backend } from '../app/backend.ts';
import { contentSecurityPolicy } from '../app/csp.ts';
import { clientErrorAnswer, rawResponse, SECURITY_HEADERS, sendError } from './http-util.ts';
import { createJsonApi, handleApi } from './json-api.ts';
import { createGate, isWildcardHost, newToken, tokenCookie, tokensEqual } from './security.ts';
import type { Gate } from './security.ts';
import { serveStatic } from './static-files.ts';
import { WsBridge } from './ws-bridge.ts';


/** Largest request body, in bytes: room for a maximal script (16 MiB of UTF-8) with every character escaped as two. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Longer than the longest run the contract allows, so the server never drops a connection that
 * is waiting for a TimeoutError result (the seed system's bug).
 */
export const SERVER_REQUEST_TIMEOUT_MS = MAX_TIMEOUT_MS + 60_000;

/** How long a client may take to send a request's headers. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;

export interface WebServerOptions {
  engine: Engine;
  workspace: Workspace;
  settings: SettingsStore;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Interface to bind; 127.0.0.1 unless the user says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  maxBodyBytes?: number;
  /** How long a client may take to send a request's headers, in ms (default 60 s); past it, 408. */
  headersTimeoutMs?: number;
}

export interface WebServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly backend: Backend;
  readonly connectedPages: () => number;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const startedAt = Date.now();

  let bridge: WsBridge | null = null;
  const backend = new Backend({
    engine: options.engine,
    workspace: () => options.workspace,
    settings: options.settings,
    emit: (event, except) => bridge?.broadcast(event, except),
  });
  bridge = new WsBridge({ backend, cancel: (runId) => options.engine.cancel(runId) });
  const routes = createJsonApi({ engine: options.engine, maxBodyBytes, connectedPages: () => bridge.size, startedAt });
  // Text frames that are not UTF-8 close the socket (1007): non-UTF-8 input is refused everywhere.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes, skipUTF8Validation: false });

  // The port is only known after listen(); the gate is built then and read by the handlers.
  let gate: Gate | null = null;
  let csp = '';

  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  // The response of each connection's current request: a timeout while its body is still arriving
  // is answered through it; one before its headers are complete has no response object yet.
  const inFlight = new WeakMap<Duplex, ServerResponse>();
  // Node checks the timeouts every connectionsCheckingInterval (default 30 s).
  const server = createServer({ connectionsCheckingInterval: Math.min(30_000, Math.max(50, headersTimeoutMs / 4)) }, (req, res) => {
    inFlight.set(req.socket, res);
    res.once('close', () => inFlight.get(req.socket) === res && inFlight.delete(req.socket));
    void handleRequest(req, res).catch((error: unknown) => {
      sendError(res, 500, 'InternalError', error instanceof Error ? error.message : String(error));
    });
  });
  server.requestTimeout = SERVER_REQUEST_TIMEOUT_MS;
  server.headersTimeout = headersTimeoutMs;
  server.timeout = 0;

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!gate) return sendError(res, 503, 'InternalError', 'starting');
    const site = gate.checkSite(req.headers);
    if (!site.ok) return sendError(res, site.status, 'ForbiddenError', site.message);
    const url = new URL(req.url ?? '/', 'http://placeholder');

    if (url.pathname.startsWith('/api/')) {
      const auth = gate.checkToken(req.headers);
      if (!auth.ok) return sendError(res, auth.status, 'ForbiddenError', auth.message);
      return handleApi(routes, req, res, url.pathname);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendError(res, 405, 'InvalidRequestError', `${req.method} is not allowed here`);
    }
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokensEqual(given, gate.token)) return sendPage(res, 401, 'Wrong token. Open the URL that `isolab serve` printed.');
      // Trade the token in the URL for a cookie, then drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(302, { ...SECURITY_HEADERS, 'Set-Cookie': tokenCookie(gate.port, gate.token), Location: `${url.pathname}${url.search}`, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const auth = gate.checkToken(req.headers);
    if (!auth.ok) return sendPage(res, 401, 'Isolab needs its token. Open the URL that `isolab serve` printed (it ends in ?token=…).');
    return serveStatic(req, res, options.rendererDir, csp);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const verdict = !gate ? { ok: false as const, status: 503, message: 'starting' } : url.pathname !== WS_PATH ? { ok: false as const, status: 404, message: 'not found' } : gate.check(req.headers);
    if (!verdict.ok) {
      socket.end(rawResponse(verdict.status, 'text/plain', verdict.message));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridge.add(ws));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const res = inFlight.get(socket);
    const answer = clientErrorAnswer(error, { headersTimeoutMs, requestTimeoutMs: SERVER_REQUEST_TIMEOUT_MS, headersArrived: res !== undefined });
    if (!answer || !socket.writable || res?.headersSent) {
      socket.destroy();
      return;
    }
    if (res) return sendError(res, answer.status, 'InvalidRequestError', answer.message);
    socket.end(rawResponse(answer.status, 'application/json; charset=utf-8', JSON.stringify({ error: { type: 'InvalidRequestError', message: answer.message } })));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  gate = createGate({ token, bindHost: host, port });
  const displayHost = isWildcardHost(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  csp = contentSecurityPolicy({ connect: [`ws://${displayHost}:${port}`, `ws://localhost:${port}`, `ws://127.0.0.1:${port}`] });
  backend.attach();

  let closing: Promise<void> | null = null;
  return {
    url: `http://${displayHost}:${port}/?token=${token}`,
    host,
    port,
    token,
    backend,
    connectedPages: () => bridge.size,
    close() {
      closing ??= (async () => {
        backend.dispose();
        bridge.closeAll();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function sendPage(res: ServerResponse, status: number, message: string): void {
  const html = `<!doctype html><meta charset="utf-8"><title>Isolab</title><p style="font:16px system-ui;margin:3em">${escapeHtml(message)}</p>`;
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'Cache-Control': 'no-store' });
  res.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
