/**
 * The channel table over a WebSocket: each client frame `{ id, channel, payload }` is dispatched
 * through the Backend and answered with `{ id, reply }`; backend events go to every page in
 * batches, `{ events: [...] }` (a console flood arrives thousands of lines at a time). Runs a page started are cancelled when that page goes away (reload, tab closed),
 * so an abandoned endless loop does not keep an isolate busy.
 */
import type { WebSocket } from 'ws';
import type { ApiReply, BackendEvent, WsServerFrame } from '../common/api.ts';
import { WsClientFrame } from '../common/api.ts';
import type { Backend } from '../app/backend.ts';

export interface WsBridgeOptions {
  backend: Backend;
  cancel: (runId: string) => void;
}

const MAX_EVENTS_PER_FRAME = 2_000;

export class WsBridge {
  private readonly clients = new Set<WebSocket>();
  private readonly options: WsBridgeOptions;

  constructor(options: WsBridgeOptions) {
    this.options = options;
  }

  get size(): number {
    return this.clients.size;
  }

  private batch: BackendEvent[] = [];
  private flushScheduled = false;

  /** Queues an event for every page; everything queued in the same turn goes out as one frame. */
  broadcast(event: BackendEvent): void {
    if (this.clients.size === 0) return;
    this.batch.push(event);
    if (this.batch.length >= MAX_EVENTS_PER_FRAME) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Runs whose result a socket is about to get as its reply: it does not need the result a second
   * time as a `runFinished`/`leakFinished` event (with 100,000 console lines that is megabytes).
   */
  private readonly answering = new WeakMap<WebSocket, Set<string>>();

  /** Sends queued events now (replies call this first, so a run's events precede its result). */
  flush(): void {
    this.flushScheduled = false;
    if (this.batch.length === 0) return;
    const events = this.batch;
    this.batch = [];
    let shared: string | undefined;
    for (const socket of this.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      const own = this.answering.get(socket);
      const isOwnResult = (e: BackendEvent) => (e.type === 'runFinished' || e.type === 'leakFinished') && own !== undefined && own.has(e.runId);
      if (own && own.size > 0 && events.some(isOwnResult)) {
        const mine = events.filter((e) => !isOwnResult(e));
        if (mine.length > 0) socket.send(JSON.stringify({ events: mine } satisfies WsServerFrame));
        continue;
      }
      shared ??= JSON.stringify({ events } satisfies WsServerFrame);
      socket.send(shared);
    }
  }

  add(socket: WebSocket): void {
    this.clients.add(socket);
    const runs = new Set<string>();
    const context = { runStarted: (id: string) => runs.add(id), runEnded: (id: string) => runs.delete(id) };
    socket.on('message', (data, isBinary) => {
      void this.handle(socket, isBinary ? null : data.toString(), context);
    });
    socket.on('close', () => {
      this.clients.delete(socket);
      for (const runId of runs) this.options.cancel(runId);
      runs.clear();
    });
    socket.on('error', () => socket.terminate());
  }

  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const socket of this.clients) socket.close(code, reason);
  }

  private async handle(socket: WebSocket, text: string | null, context: { runStarted(id: string): void; runEnded(id: string): void }): Promise<void> {
    const frame = parseFrame(text);
    if (!frame.ok) {
      this.flush();
      send(socket, { id: frame.id, reply: { ok: false, error: { type: 'InvalidRequestError', message: frame.message } } });
      return;
    }
    const answered: string[] = [];
    const own = this.answering.get(socket) ?? new Set<string>();
    this.answering.set(socket, own);
    const reply = await this.options.backend.dispatch(frame.value.channel, frame.value.payload, {
      runStarted: (id) => context.runStarted(id),
      runEnded: (id) => {
        context.runEnded(id);
        // Ended before its finished-event is emitted: that event is then skipped for this socket.
        own.add(id);
        answered.push(id);
      },
    });
    this.flush();
    send(socket, { id: frame.value.id, reply });
    for (const id of answered) own.delete(id);
  }
}

type Parsed = { ok: true; value: WsClientFrame } | { ok: false; id: number; message: string };

/** A frame we cannot read still gets an answer: with its id when it had one, else id -1. */
export function parseFrame(text: string | null): Parsed {
  if (text === null) return { ok: false, id: -1, message: 'binary frames are not part of the protocol; send JSON text' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, id: -1, message: `malformed JSON: ${(error as Error).message}` };
  }
  const parsed = WsClientFrame.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const id = typeof (raw as { id?: unknown })?.id === 'number' && Number.isInteger((raw as { id: number }).id) ? (raw as { id: number }).id : -1;
  return { ok: false, id, message: `invalid frame: expected { id, channel, payload } (${parsed.error.issues[0]?.message ?? ''})` };
}

function send(socket: WebSocket, frame: { id: number; reply: ApiReply }): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame satisfies WsServerFrame));
}
