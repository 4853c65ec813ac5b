/**
 * The renderer's one door to its backend. Inside Electron that is `window.isolab` (the preload's
 * named actions, replies as `ApiReply` data); in a browser tab it is web mode's WebSocket on the
 * page's own origin, authenticated by the cookie `isolab serve` set when the token URL was opened.
 * Nothing else in the renderer knows which of the two it is talking to.
 */
import {
  ACTIONS,
  ApiReply,
  BackendEvent,
  channels,
  WsServerFrame,
  type ActionName,
  type ApiError,
  type ChannelName,
  type ChannelRequest,
  type ChannelResponse,
  type IsolabBridge,
  type WsClientFrame,
  WS_PATH,
} from '../../engine/common/api.ts';
import { validationMessage } from '../../engine/common/validation.ts';

export type ConnectionStatus =
  | { state: 'connected' }
  /** Waiting to (re)connect; `retryAt` is a Date.now() time when the next attempt starts. */
  | { state: 'reconnecting'; attempt: number; retryAt: number; reason: string }
  | { state: 'connecting' };

export interface Backend {
  readonly mode: 'electron' | 'web';
  call<C extends ChannelName>(channel: C, payload: ChannelRequest<C>): Promise<ChannelResponse<C>>;
  onEvent(handler: (event: BackendEvent) => void): () => void;
  onConnection(handler: (status: ConnectionStatus) => void): () => void;
  connection(): ConnectionStatus;
}

/** A channel call that failed as a call (bad payload, missing script, lost connection). */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  readonly type: ApiError['type'] | 'DisconnectedError' | 'InvalidReplyError';
  constructor(type: BackendError['type'], message: string) {
    super(message);
    this.type = type;
  }
}

function unwrap<C extends ChannelName>(channel: C, raw: unknown): ChannelResponse<C> {
  const reply = ApiReply.safeParse(raw);
  if (!reply.success) throw new BackendError('InvalidReplyError', `${channel}: the backend sent a reply that is not an ApiReply`);
  if (!reply.data.ok) throw new BackendError(reply.data.error.type, reply.data.error.message);
  const value = channels[channel].response.safeParse(reply.data.value);
  if (!value.success) throw new BackendError('InvalidReplyError', `${channel}: ${validationMessage(value.error, { whole: 'reply' })}`);
  return value.data as ChannelResponse<C>;
}

class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(handler: (value: T) => void): () => void {
    this.set.add(handler);
    return () => this.set.delete(handler);
  }
  emit(value: T): void {
    for (const handler of this.set) {
      try {
        handler(value);
      } catch (error) {
        console.error(error);
      }
    }
  }
}

const actionOf = Object.fromEntries(Object.entries(ACTIONS).map(([action, channel]) => [channel, action])) as Record<ChannelName, ActionName>;

function electronBackend(bridge: IsolabBridge): Backend {
  return {
    mode: 'electron',
    async call(channel, payload) {
      const action = bridge[actionOf[channel]] as (payload: unknown) => Promise<ApiReply>;
      return unwrap(channel, await action(payload));
    },
    onEvent(handler) {
      return bridge.onEvent((event) => {
        const parsed = BackendEvent.safeParse(event);
        if (parsed.success) handler(parsed.data);
      });
    },
    onConnection: () => () => {},
    connection: () => ({ state: 'connected' }),
  };
}

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s ... capped at 5 s. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(5000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Requests in flight on one socket, by frame id. */
export class PendingRequests {
  private nextId = 1;
  private readonly pending = new Map<number, { channel: ChannelName; resolve: (raw: unknown) => void; reject: (error: Error) => void }>();

  open(channel: ChannelName): { id: number; reply: Promise<unknown> } {
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { channel, resolve, reject }));
    return { id, reply };
  }

  settle(id: number, raw: unknown): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    entry.resolve(raw);
    return true;
  }

  failAll(error: Error): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(error);
  }

  get size(): number {
    return this.pending.size;
  }
}

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

const OPEN = 1;

/**
 * Web mode. Calls made while the socket is down wait for the next connection; calls in flight when
 * it drops fail with DisconnectedError (their replies are gone with the socket).
 */
export function webBackend(url: string, openSocket: (url: string) => SocketLike = (u) => new WebSocket(u) as unknown as SocketLike): Backend {
  const events = new Listeners<BackendEvent>();
  const connectionListeners = new Listeners<ConnectionStatus>();
  const pending = new PendingRequests();
  let status: ConnectionStatus = { state: 'connecting' };
  let socket: SocketLike | null = null;
  let attempt = 0;
  let waiting: Array<() => void> = [];

  const setStatus = (next: ConnectionStatus) => {
    status = next;
    connectionListeners.emit(next);
  };

  const connect = () => {
    const ws = openSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setStatus({ state: 'connected' });
      const ready = waiting;
      waiting = [];
      for (const go of ready) go();
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(message.data);
      } catch {
        return;
      }
      const frame = WsServerFrame.safeParse(json);
      if (!frame.success) {
        // A reply whose payload does not parse still has to release its caller.
        const id = (json as { id?: unknown })?.id;
        if (typeof id === 'number') pending.settle(id, (json as { reply?: unknown }).reply);
        return;
      }
      if ('events' in frame.data) for (const event of frame.data.events) events.emit(event);
      else pending.settle(frame.data.id, frame.data.reply);
    };
    ws.onerror = () => {};
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      pending.failAll(new BackendError('DisconnectedError', 'lost the connection to isolab serve'));
      attempt += 1;
      const delay = backoffDelayMs(attempt);
      setStatus({
        state: 'reconnecting',
        attempt,
        retryAt: Date.now() + delay,
        reason: event.reason || (attempt > 1 ? 'isolab serve is not answering' : 'connection closed'),
      });
      setTimeout(connect, delay);
    };
  };

  const whenOpen = () =>
    socket && socket.readyState === OPEN ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve));

  connect();

  return {
    mode: 'web',
    async call(channel, payload) {
      await whenOpen();
      const { id, reply } = pending.open(channel);
      const frame: WsClientFrame = { id, channel, payload };
      socket!.send(JSON.stringify(frame));
      return unwrap(channel, await reply);
    },
    onEvent: (handler) => events.add(handler),
    onConnection: (handler) => connectionListeners.add(handler),
    connection: () => status,
  };
}

export function createBackend(): Backend {
  const bridge = (globalThis as { isolab?: IsolabBridge }).isolab;
  if (bridge) return electronBackend(bridge);
  // Typed structurally: the unit tests compile this module without the DOM library.
  const { protocol, host } = (globalThis as unknown as { location: { protocol: string; host: string } }).location;
  return webBackend(`${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${WS_PATH}`);
}
