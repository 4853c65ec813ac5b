/** Small request/response helpers with the error shapes the JSON API promises. */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  // An unread request body must not be parsed as the next request on a keep-alive connection.
  sendJson(res, status, { error }, status === 413 ? { Connection: 'close' } : {});
}
