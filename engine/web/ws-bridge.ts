/**
 * The channel table over a WebSocket: each client frame `{ id, channel, payload }` is dispatched
 * through the Backend and answered with `{ id, reply }`; backend events go to the pages in batches,
 * `{ events: [...] }` (a console flood arrives thousands of lines at a time). Each socket is one
 * page of engine/app's Callers table: a run's result reaches its page once, as the reply, and the
 * runs a page started are cancelled when it goes away (reload, tab closed), so an abandoned
 * endless loop does not keep an isolate busy.
 */
import type { WebSocket } from 'ws';
import type { ApiReply, BackendEvent, WsServerFrame } from '../common/api.ts';
import { WsClientFrame } from '../common/api.ts';
import { parseJsonText } from '../common/input.ts';
import { validationMessage } from '../common/validation.ts';
import type { Backend, CallContext } from '../app/backend.ts';
import { Callers } from '../app/caller.ts';

export interface WsBridgeOptions {
  backend: Backend;
  cancel: (runId: string) => void;
}

const MAX_EVENTS_PER_FRAME = 2_000;

interface Queued {
  event: BackendEvent;
  /** The page this event is not for (it got the same data as its reply). */
  except?: CallContext;
}

export class WsBridge {
  private readonly clients = new Set<WebSocket>();
  private readonly callers: Callers<WebSocket>;
  private readonly options: WsBridgeOptions;
  private batch: Queued[] = [];
  private flushScheduled = false;

  constructor(options: WsBridgeOptions) {
    this.options = options;
    this.callers = new Callers(options.cancel);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Queues an event for the pages; everything queued in the same turn goes out as one frame. */
  broadcast(event: BackendEvent, except?: CallContext): void {
    if (this.clients.size === 0) return;
    this.batch.push(except ? { event, except } : { event });
    if (this.batch.length >= MAX_EVENTS_PER_FRAME) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends queued events now (replies call this first, so a run's events precede its result). */
  flush(): void {
    this.flushScheduled = false;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    // Serialised once for every page that gets the whole batch, which is all of them but the asker.
    let shared: string | undefined;
    for (const socket of this.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      const caller = this.callers.find(socket);
      if (batch.some((queued) => queued.except === caller)) {
        const events = batch.filter((queued) => queued.except !== caller).map((queued) => queued.event);
        if (events.length > 0) socket.send(JSON.stringify({ events } satisfies WsServerFrame));
        continue;
      }
      shared ??= JSON.stringify({ events: batch.map((queued) => queued.event) } satisfies WsServerFrame);
      socket.send(shared);
    }
  }

  add(socket: WebSocket): void {
    this.clients.add(socket);
    const caller = this.callers.of(socket);
    socket.on('message', (data, isBinary) => {
      // ws has already failed a text frame that is not UTF-8 (close 1007, RFC 6455; the server
      // keeps its validation on), so this decoding never repairs anything to U+FFFD.
      void this.handle(socket, isBinary ? null : data.toString(), caller);
    });
    socket.on('close', () => {
      this.clients.delete(socket);
      this.callers.end(socket);
    });
    socket.on('error', () => socket.terminate());
  }

  closeAll(code = 1001, reason = 'server shutting down'): void {
    for (const socket of this.clients) socket.close(code, reason);
  }

  private async handle(socket: WebSocket, text: string | null, caller: CallContext): Promise<void> {
    const frame = parseFrame(text);
    const reply: ApiReply = frame.ok
      ? await this.options.backend.dispatch(frame.value.channel, frame.value.payload, caller)
      : { ok: false, error: { type: 'InvalidRequestError', message: frame.message } };
    this.flush();
    send(socket, { id: frame.ok ? frame.value.id : frame.id, reply });
  }
}

type Parsed = { ok: true; value: WsClientFrame } | { ok: false; id: number; message: string };

/** A frame we cannot read still gets an answer: with its id when it had one, else id -1. */
export function parseFrame(text: string | null): Parsed {
  if (text === null) return { ok: false, id: -1, message: 'binary frames are not part of the protocol; send JSON text' };
  const json = parseJsonText(text);
  if (!json.ok) return { ok: false, id: -1, message: json.tooDeep ? json.message : `malformed JSON: ${json.message}` };
  const raw = json.value;
  const parsed = WsClientFrame.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const id = typeof (raw as { id?: unknown })?.id === 'number' && Number.isInteger((raw as { id: number }).id) ? (raw as { id: number }).id : -1;
  return { ok: false, id, message: `invalid frame: expected { id, channel, payload } (${validationMessage(parsed.error, { whole: 'frame' })})` };
}

function send(socket: WebSocket, frame: { id: number; reply: ApiReply }): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame satisfies WsServerFrame));
}
