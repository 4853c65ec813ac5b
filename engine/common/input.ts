/**
 * The rules every receiver applies to text and JSON from outside (HTTP bodies, WebSocket frames,
 * Electron IPC payloads, CLI files and `--args`), declared once: text must be UTF-8 (never
 * silently repaired to U+FFFD), sizes of source text are UTF-8 bytes (what a file on disk
 * measures), and JSON is nested at most MAX_JSON_DEPTH levels. The depth bound keeps every
 * recursive step after parsing (zod's `z.json()`, `JSON.stringify` on the host channel) far from
 * the stack limit, which 2,000 levels already reach; a depth check on the text runs before
 * `JSON.parse`, so a body of 64 MiB of `[` never becomes 32 million nested arrays.
 */

/** Deepest nesting of arrays and objects accepted in any JSON a client sends. */
export const MAX_JSON_DEPTH = 512;

export const JSON_TOO_DEEP = `JSON nested deeper than ${MAX_JSON_DEPTH} levels (arrays and objects)`;

export type Decoded = { ok: true; text: string } | { ok: false; offset: number; message: string };

/** Decodes UTF-8 strictly. On failure, `offset` is the first byte that cannot be part of valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstBadByte(bytes);
    return { ok: false, offset, message: `not valid UTF-8 text (first bad byte near offset ${offset})` };
  }
}

const CHUNK = 64 * 1024;

/**
 * Streams chunks through one decoder to find the chunk that fails, then bisects a window around
 * it (validity of a prefix only ever goes from yes to no): linear in the input, whatever its size.
 */
function firstBadByte(bytes: Uint8Array): number {
  const stream = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  try {
    for (; start < bytes.length; start += CHUNK) stream.decode(bytes.subarray(start, start + CHUNK), { stream: true });
  } catch {
    // Everything before `start` was valid so far, so any byte there that is not a continuation
    // byte (10xxxxxx) begins a character; valid text never has more than 3 continuations in a row.
    let from = Math.max(0, start - 4);
    while (from < start && (bytes[from]! & 0xc0) === 0x80) from++;
    return from + firstBadIn(bytes.subarray(from, start + CHUNK));
  }
  // Every prefix is fine: the text ends inside a sequence; point at its lead byte.
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) if ((bytes[i]! & 0xc0) === 0xc0) return i;
  return bytes.length - 1;
}

/** The first bad byte of a window that starts at a character and is known to fail. */
function firstBadIn(window: Uint8Array): number {
  const validPrefix = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(window.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0; // validPrefix(low) holds
  let high = window.length; // validPrefix(high) fails
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (validPrefix(mid)) low = mid;
    else high = mid;
  }
  return high - 1;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Length of `text` in UTF-8 bytes (a lone surrogate counts as the 3 bytes of U+FFFD, as TextEncoder writes it). */
export function utf8ByteLength(text: string): number {
  if (!NON_ASCII.test(text)) return text.length; // the common case, scanned natively
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** True when the JSON text nests arrays and objects deeper than `max`; strings are skipped whole. */
export function jsonTextTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = closingQuote(text, i);
      if (i < 0) return false; // unterminated: JSON.parse will say so
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** True when a value nests arrays and objects deeper than `max` (a cycle counts as too deep). Iterative: it cannot blow the stack itself. */
export function jsonValueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; tooDeep: boolean; message: string };

/** JSON.parse within the depth bound. `message` is one line for the client: JSON_TOO_DEEP, or the parser's own. */
export function parseJsonText(text: string): ParsedJson {
  if (jsonTextTooDeep(text)) return { ok: false, tooDeep: true, message: JSON_TOO_DEEP };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, tooDeep: false, message: (error as Error).message };
  }
}
