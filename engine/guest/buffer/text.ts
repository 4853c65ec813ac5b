/**
 * TextEncoder, TextDecoder, atob and btoa for the isolate (which has none of them), built on the
 * same codecs as Buffer, so large inputs take the host bridge too.
 *
 * TextDecoder supports the three encodings a Node build without extra ICU data always has:
 * utf-8, utf-16le and windows-1252 (what the WHATWG labels "latin1"/"ascii" map to). Other labels
 * throw ERR_ENCODING_NOT_SUPPORTED.
 */
import type { BufferParts } from './buffer.ts';
import { utf8LastRead, utf8Write } from './codecs.ts';
import type { Codecs } from './encodings.ts';
import {
  ERR_ENCODING_INVALID_ENCODED_DATA,
  ERR_ENCODING_NOT_SUPPORTED,
  ERR_INVALID_ARG_TYPE,
  ERR_MISSING_ARGS,
  domException,
  makeError,
} from './errors.ts';
import {
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ObjectDefineProperty,
  ReflectApply,
  StringCtor,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeToWellFormed,
  SymbolToStringTag,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint16ArrayCtor,
  Uint8ArrayCtor,
  isAnyArrayBuffer,
  isUint8Array,
  viewBuffer,
  viewByteLength,
  viewByteOffset,
  TypeErrorCtor,
} from '../primordials.ts';

type Enc = 'utf-8' | 'utf-16le' | 'windows-1252';

const LABELS: Record<string, Enc> = {
  'unicode-1-1-utf-8': 'utf-8',
  unicode11utf8: 'utf-8',
  unicode20utf8: 'utf-8',
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'x-unicode20utf8': 'utf-8',
  csunicode: 'utf-16le',
  'iso-10646-ucs-2': 'utf-16le',
  'ucs-2': 'utf-16le',
  unicode: 'utf-16le',
  unicodefeff: 'utf-16le',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'ansi_x3.4-1968': 'windows-1252',
  ascii: 'windows-1252',
  cp1252: 'windows-1252',
  cp819: 'windows-1252',
  csisolatin1: 'windows-1252',
  ibm819: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'iso-ir-100': 'windows-1252',
  'iso8859-1': 'windows-1252',
  iso88591: 'windows-1252',
  'iso_8859-1': 'windows-1252',
  'iso_8859-1:1987': 'windows-1252',
  l1: 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  'windows-1252': 'windows-1252',
  'x-cp1252': 'windows-1252',
};
const LABELS_NULL: Record<string, Enc> = Object.assign(Object.create(null) as Record<string, Enc>, LABELS);

// windows-1252 differs from latin1 only in 0x80-0x9F.
const CP1252_HIGH = new Uint16ArrayCtor([
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]);

function isWhitespace(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20;
}

function trimAsciiWhitespace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWhitespace(StringPrototypeCharCodeAt(s, a))) a++;
  while (b > a && isWhitespace(StringPrototypeCharCodeAt(s, b - 1))) b--;
  return StringPrototypeSlice(s, a, b);
}

function asBytes(input: unknown): Uint8Array {
  if (isAnyArrayBuffer(input)) return new Uint8ArrayCtor(input as ArrayBuffer);
  if (ArrayBufferIsView(input)) {
    const view = input as ArrayBufferView;
    return new Uint8ArrayCtor(viewBuffer(view), viewByteOffset(view), viewByteLength(view));
  }
  // Node's message, verbatim (it names "list" and has no "Received" part).
  throw makeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', 'The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.');
}

/** Length of a trailing incomplete-but-valid UTF-8 prefix (what a streaming decode must hold back). */
function utf8Pending(u: Uint8Array, n: number): number {
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = u[n - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (need === 0 || back > need) return 0;
    if (back >= 2) {
      const c = u[n - back + 1]!;
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      if (c < lo || c > hi) return 0;
    }
    return back;
  }
  return 0;
}

function utf8Valid(u: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = u[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return false;
    if (i + need >= end) return false;
    for (let k = 1; k <= need; k++) {
      const c = u[i + k]!;
      if (c < lo || c > hi) return false;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return true;
}

export interface TextParts {
  TextEncoder: Function;
  TextDecoder: Function;
  atob: Function;
  btoa: Function;
}

export function createText(codecs: Codecs, parts: BufferParts): TextParts {
  class TextEncoder {
    get encoding() {
      return 'utf-8';
    }
    encode(input: unknown = ''): Uint8Array {
      const str = `${input as string}`;
      const buf = str.length === 0 ? new Uint8ArrayCtor(0) : parts.fromString(str, 'utf8');
      // Node returns a plain Uint8Array that owns its memory, never a view into the Buffer pool.
      const ab = TypedArrayPrototypeGetBuffer(buf);
      if (TypedArrayPrototypeGetByteOffset(buf) === 0 && ArrayBufferPrototypeGetByteLength(ab as ArrayBuffer) === TypedArrayPrototypeGetLength(buf)) {
        return new Uint8ArrayCtor(ab);
      }
      const out = new Uint8ArrayCtor(TypedArrayPrototypeGetLength(buf));
      TypedArrayPrototypeSet(out, buf);
      return out;
    }
    encodeInto(src: unknown, dest: unknown): { read: number; written: number } {
      const str = `${src as string}`;
      if (!isUint8Array(dest)) throw ERR_INVALID_ARG_TYPE('dest', 'Uint8Array', dest);
      const written = utf8Write(str, dest, 0, TypedArrayPrototypeGetLength(dest));
      return { read: utf8LastRead, written };
    }
  }
  ObjectDefineProperty(TextEncoder.prototype, SymbolToStringTag, { value: 'TextEncoder', configurable: true });

  class TextDecoder {
    #encoding: Enc;
    #fatal: boolean;
    #ignoreBOM: boolean;
    #pending: Uint8Array = new Uint8ArrayCtor(0);
    #bomSeen = false;

    constructor(label: unknown = 'utf-8', options: unknown = {}) {
      const key = StringPrototypeToLowerCase(trimAsciiWhitespace(`${label as string}`));
      const enc = LABELS_NULL[key];
      if (enc === undefined) throw ERR_ENCODING_NOT_SUPPORTED(`${label as string}`);
      if (options !== undefined && options !== null && typeof options !== 'object') {
        throw ERR_INVALID_ARG_TYPE('options', 'object', options);
      }
      const opts = (options ?? {}) as { fatal?: unknown; ignoreBOM?: unknown };
      this.#encoding = enc;
      this.#fatal = !!opts.fatal;
      this.#ignoreBOM = !!opts.ignoreBOM;
    }
    get encoding() {
      return this.#encoding;
    }
    get fatal() {
      return this.#fatal;
    }
    get ignoreBOM() {
      return this.#ignoreBOM;
    }
    decode(input: unknown = new Uint8ArrayCtor(0), options: unknown = {}): string {
      const stream = options !== null && typeof options === 'object' && !!(options as { stream?: unknown }).stream;
      let bytes = asBytes(input);
      if (TypedArrayPrototypeGetLength(this.#pending) > 0) {
        const joined = new Uint8ArrayCtor(TypedArrayPrototypeGetLength(this.#pending) + TypedArrayPrototypeGetLength(bytes));
        TypedArrayPrototypeSet(joined, this.#pending);
        TypedArrayPrototypeSet(joined, bytes, TypedArrayPrototypeGetLength(this.#pending));
        bytes = joined;
        this.#pending = new Uint8ArrayCtor(0);
      }
      let n = TypedArrayPrototypeGetLength(bytes);
      let out: string;
      if (this.#encoding === 'utf-8') {
        const hold = stream ? utf8Pending(bytes, n) : 0;
        if (hold > 0) {
          this.#pending = TypedArrayPrototypeSubarray(new Uint8ArrayCtor(bytes), n - hold, n);
          n -= hold;
        }
        if (this.#fatal && !utf8Valid(bytes, 0, n)) {
          this.#reset();
          throw ERR_ENCODING_INVALID_ENCODED_DATA('utf-8');
        }
        out = n === 0 ? '' : codecs.utf8.slice(bytes, 0, n);
      } else if (this.#encoding === 'utf-16le') {
        let hold = n & 1;
        if (n - hold >= 2) {
          const last = bytes[n - hold - 2]! | (bytes[n - hold - 1]! << 8);
          if (stream && last >= 0xd800 && last <= 0xdbff) hold += 2;
        }
        if (hold > 0 && stream) {
          this.#pending = TypedArrayPrototypeSubarray(new Uint8ArrayCtor(bytes), n - hold, n);
          n -= hold;
        }
        const raw = n < 2 ? '' : codecs.utf16le.slice(bytes, 0, n & ~1);
        out = StringPrototypeToWellFormed(raw);
        const broken = out !== raw || (n & 1) === 1;
        if (this.#fatal && broken) {
          this.#reset();
          throw ERR_ENCODING_INVALID_ENCODED_DATA('utf-16le');
        }
        if ((n & 1) === 1) out += '\ufffd';
      } else {
        out = decodeCp1252(bytes, n);
      }
      if (!this.#ignoreBOM && !this.#bomSeen && out.length > 0) {
        if (this.#encoding !== 'windows-1252' && StringPrototypeCharCodeAt(out, 0) === 0xfeff) out = StringPrototypeSlice(out, 1);
      }
      if (out.length > 0 || n > 0) this.#bomSeen = true;
      if (!stream) this.#reset();
      return out;
    }
    #reset() {
      this.#pending = new Uint8ArrayCtor(0);
      this.#bomSeen = false;
    }
  }
  ObjectDefineProperty(TextDecoder.prototype, SymbolToStringTag, { value: 'TextDecoder', configurable: true });

  function decodeCp1252(bytes: Uint8Array, n: number): string {
    const chunk = new Uint16ArrayCtor(n < 4096 ? n : 4096);
    let out = '';
    for (let i = 0; i < n; i += 4096) {
      const end = i + 4096 < n ? i + 4096 : n;
      for (let j = i; j < end; j++) {
        const b = bytes[j]!;
        chunk[j - i] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
      }
      out += ReflectApply(StringFromCharCode, undefined, end - i === chunk.length ? chunk : TypedArrayPrototypeSubarray(chunk as unknown as Uint8Array, 0, end - i)) as string;
    }
    return out;
  }

  // Index of '=' in Node's kForgivingBase64AllowedChars; the first five are ASCII whitespace.
  function atob(this: unknown, input: unknown): string {
    if (arguments.length === 0) throw ERR_MISSING_ARGS('input');
    const str = `${input as string}`;
    let nonWhitespace = 0;
    let equals = 0;
    for (let n = 0; n < str.length; n++) {
      const c = StringPrototypeCharCodeAt(str, n);
      if (isWhitespace(c)) continue;
      const isAlpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
      if (c === 61) {
        nonWhitespace++;
        equals++;
        if (equals > 2) throw domException('Invalid character', 'InvalidCharacterError', 5);
      } else if (isAlpha) {
        nonWhitespace++;
        if (equals) throw domException('Invalid character', 'InvalidCharacterError', 5);
      } else throw domException('Invalid character', 'InvalidCharacterError', 5);
    }
    let remainder = nonWhitespace % 4;
    if (!remainder) remainder = (nonWhitespace - equals) % 4;
    else if (equals) throw domException('Invalid character', 'InvalidCharacterError', 5);
    if (remainder === 1) throw domException('The string to be decoded is not correctly encoded.', 'InvalidCharacterError', 5);
    const bytes = parts.fromString(str, 'base64');
    return codecs.latin1.slice(bytes, 0, TypedArrayPrototypeGetLength(bytes));
  }

  function btoa(this: unknown, input: unknown): string {
    if (arguments.length === 0) throw ERR_MISSING_ARGS('input');
    const str = `${input as string}`;
    for (let n = 0; n < str.length; n++) {
      if (StringPrototypeCharCodeAt(str, n) > 0xff) throw domException('Invalid character', 'InvalidCharacterError', 5);
    }
    const bytes = parts.fromString(str, 'latin1');
    return codecs.base64.slice(bytes, 0, TypedArrayPrototypeGetLength(bytes));
  }

  return { TextEncoder, TextDecoder, atob, btoa };
}

export { StringCtor, ArrayBufferPrototypeGetByteLength };
