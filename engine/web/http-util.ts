/** Small request/response helpers with the error shapes the JSON API promises. */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ApiError } from '../common/api.ts';
import { decodeUtf8, parseJsonText } from '../common/input.ts';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly type: ApiError['type'];

  constructor(status: number, type: ApiError['type'], message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

/**
 * Reads and parses a JSON body, refusing (413) as soon as it passes `limitBytes`, and (400) bytes
 * that are not UTF-8 or JSON nested too deep (engine/common/input.ts: the same rules as the CLI's).
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new HttpError(413, 'InvalidRequestError', `request body is larger than ${limitBytes} bytes`);
  }
  const type = req.headers['content-type'] ?? '';
  // Requiring JSON forces a CORS preflight for any cross-site fetch, on top of the Origin check.
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'InvalidRequestError', 'send the body as Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpError(413, 'InvalidRequestError', `request body is larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  const decoded = decodeUtf8(Buffer.concat(chunks));
  if (!decoded.ok) throw new HttpError(400, 'InvalidRequestError', `request body is ${decoded.message}; send UTF-8`);
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) throw new HttpError(400, 'InvalidRequestError', parsed.tooDeep ? `invalid request: ${parsed.message}` : `malformed JSON: ${parsed.message}`);
  return parsed.value;
}

export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // The first page load carries the token in its URL: never let it leak as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, type: ApiError['type'], message: string): void {
  const error: ApiError = { type, message };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // An unread request body (too large, or still arriving when time ran out) must not be parsed as
  // the next request on a keep-alive connection.
  sendJson(res, status, { error }, status === 413 || status === 408 ? { Connection: 'close' } : {});
}

/**
 * A whole HTTP response as text, for a socket that has no ServerResponse (a refused WebSocket
 * upgrade, a request Node could not read). It closes the connection.
 */
export function rawResponse(status: number, contentType: string, body: string): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

export interface ClientErrorLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** The request's headers had arrived (its body had not). */
  headersArrived: boolean;
}

/**
 * What to answer when Node's HTTP parser gives up on a request (the server's `clientError`), in
 * words: Node's own answer is a bare "400 Bad Request" for all of them. Null: say nothing (the
 * client is gone).
 */
export function clientErrorAnswer(error: NodeJS.ErrnoException, limits: ClientErrorLimits): { status: number; message: string } | null {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return null;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return limits.headersArrived
        ? { status: 408, message: `the request body did not arrive within ${seconds(limits.requestTimeoutMs)}; send the whole request again` }
        : { status: 408, message: `the request headers did not arrive within ${seconds(limits.headersTimeoutMs)}; send the whole request again` };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'the request headers are too large' };
    default:
      return { status: 400, message: `malformed HTTP request: ${error.message}` };
  }
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
