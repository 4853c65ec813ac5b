/**
 * A Chrome DevTools endpoint for one debugged run, as Node's --inspect serves it: HTTP discovery
 * (`/json/list`, `/json/version`, what chrome://inspect and VS Code's attach read) and a WebSocket
 * at an unguessable path that carries Chrome DevTools Protocol frames. It knows nothing of the
 * engine: frames from the client go to `onMessage`, `send` writes to the client. Any front end
 * (CLI, Electron main, web mode) may use it; ws is a plain Node library, so it lives beside
 * EngineClient.
 *
 * Loopback only (whoever reaches the socket can run code in the run and read its data), and the
 * Host header must name a loopback address too, so a web page cannot reach it by DNS rebinding.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** The largest frame a client may send: what the engine's `inspect` request accepts. */
export const MAX_CLIENT_FRAME_BYTES = 1024 * 1024;
/** Node's default inspector port, which chrome://inspect watches without being told. */
export const DEFAULT_INSPECT_PORT = 9229;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export const isLoopbackHost = (host: string): boolean => LOOPBACK.has(host.toLowerCase());

export interface DevtoolsEndpointOptions {
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** What `/json/list` shows: the script's name and URL. */
  title: string;
  url: string;
  /** A CDP frame from the client. */
  onMessage(message: string): void;
  onAttach?(): void;
  onDetach?(): void;
}

export class DevtoolsEndpoint {
  /** The random part of the WebSocket path. */
  readonly id = randomUUID();
  readonly #o: DevtoolsEndpointOptions;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false });
  readonly #sockets = new Set<Socket>();
  #client: WebSocket | undefined;
  #port = 0;

  private constructor(o: DevtoolsEndpointOptions) {
    this.#o = o;
    this.#server = createServer((req, res) => this.#http(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.#upgrade(req, socket, head));
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Listens; rejects (EADDRINUSE …) if the port cannot be had, and for a host that is not loopback. */
  static async listen(o: DevtoolsEndpointOptions): Promise<DevtoolsEndpoint> {
    const host = o.host ?? '127.0.0.1';
    if (!isLoopbackHost(host)) throw new Error(`the debugger listens on loopback addresses only (127.0.0.1, localhost, ::1), not '${host}'`);
    const endpoint = new DevtoolsEndpoint({ ...o, host: host === 'localhost' ? '127.0.0.1' : host.replace(/^\[|\]$/g, '') });
    await new Promise<void>((resolve, reject) => {
      endpoint.#server.once('error', reject);
      endpoint.#server.listen(o.port, endpoint.#o.host, () => {
        endpoint.#server.off('error', reject);
        resolve();
      });
    });
    endpoint.#port = (endpoint.#server.address() as AddressInfo).port;
    return endpoint;
  }

  get port(): number {
    return this.#port;
  }

  /** host:port/id, as the `ws=` parameter of a DevTools URL takes it. */
  get #address(): string {
    const host = this.#o.host!.includes(':') ? `[${this.#o.host}]` : this.#o.host!;
    return `${host}:${this.#port}/${this.id}`;
  }

  get webSocketUrl(): string {
    return `ws://${this.#address}`;
  }

  /** Chrome's own DevTools front end, V8-only (no DOM panels), as Node advertises it. */
  get devtoolsUrl(): string {
    return `devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=${this.#address}`;
  }

  get attached(): boolean {
    return this.#client !== undefined;
  }

  /** A CDP frame to the client; dropped when none is attached. */
  send(message: string): void {
    if (this.#client?.readyState === 1) this.#client.send(message);
  }

  /** Closes the client's socket and the server. Idempotent. */
  async close(): Promise<void> {
    this.#client?.close(1000, 'the run has ended');
    this.#wss.close();
    for (const socket of this.#sockets) socket.destroy();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #target(): Record<string, string> {
    return {
      description: 'isolab run',
      devtoolsFrontendUrl: this.devtoolsUrl,
      devtoolsFrontendUrlCompat: this.devtoolsUrl.replace('js_app.html', 'inspector.html'),
      id: this.id,
      title: this.#o.title,
      type: 'node',
      url: this.#o.url,
      webSocketDebuggerUrl: this.webSocketUrl,
    };
  }

  #http(req: IncomingMessage, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body, null, 2));
    };
    if (!allowedHost(req)) return reply(403, { error: 'Host header is not a loopback address' });
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    if (req.method !== 'GET') return reply(405, { error: 'GET only' });
    if (path === '/json' || path === '/json/list') return reply(200, [this.#target()]);
    if (path === '/json/version') return reply(200, { Browser: 'isolab', 'Protocol-Version': '1.1' });
    reply(404, { error: 'not found' });
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!allowedHost(req)) return refuse('403 Forbidden');
    if (req.url !== `/${this.id}`) return refuse('404 Not Found');
    if (this.#client) return refuse('409 Conflict');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#client = ws;
      ws.on('message', (data, isBinary) => {
        if (!isBinary) this.#o.onMessage(data.toString());
      });
      ws.once('close', () => {
        this.#client = undefined;
        this.#o.onDetach?.();
      });
      this.#o.onAttach?.();
    });
  }
}

/** The Host header names a loopback address (or is absent, as from a raw socket). */
function allowedHost(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return isLoopbackHost(name);
}
