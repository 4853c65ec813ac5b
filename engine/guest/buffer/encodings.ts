/**
 * Encoding names and the per-encoding operations (byteLength, write, slice), choosing between the
 * in-isolate codecs and the host bridge by size.
 *
 * Why a threshold: a bridge call costs a fixed few-µs crossing plus copies of the input and output
 * (isolated-vm serializes the argument and copies the result), while the JS codecs cost a few ns per
 * byte. Below the threshold the crossing costs more than it saves.
 */
import { type BridgeCalls } from './bridge.ts';
import * as codecs from './codecs.ts';
import {
  ObjectCreate,
  ReflectApply,
  ObjectKeys,
  StringPrototypeToLowerCase,
  uncurryThis,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSlice,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
} from '../primordials.ts';

export type EncodingName = 'utf8' | 'ucs2' | 'utf16le' | 'latin1' | 'ascii' | 'base64' | 'base64url' | 'hex';
/** Encodings as the host's Node Buffer spells them. */
type HostEncoding = 'utf8' | 'utf16le' | 'latin1' | 'ascii' | 'base64' | 'base64url' | 'hex';

/** Smallest size (bytes to encode, or chars to decode) that goes to the host. */
export interface BridgeThresholds {
  encode: Record<HostEncoding, number>;
  decode: Record<HostEncoding, number>;
}

/** Above this the guest does not even ask: matches the host's default per-call limit. */
const MAX_BRIDGE_UNITS = 64 * 1024 * 1024;

/**
 * Measured with `npm run bench:buffer -- --thresholds` (raw isolate, both paths, median per call;
 * numbers in the README, "Buffer, TextEncoder, TextDecoder, atob and btoa"). Encodes are by input bytes: the JS encoders build strings at
 * ~9-18 ns/byte, so the ~4-6 us crossing pays off from about 1 KiB (hex/base64/utf8), 2 KiB
 * (latin1/ascii) and 4 KiB (utf16le). Decodes are by input UTF-16 units: the JS decoders are cheap
 * (no string to build), so the host wins later: ~2 K chars for base64, ~6 K for hex, ~16 K for
 * utf16le, ~24 K for utf8, ~32 K for latin1/ascii.
 */
export const DEFAULT_THRESHOLDS: BridgeThresholds = {
  encode: { utf8: 1024, utf16le: 4096, latin1: 2048, ascii: 2048, base64: 1024, base64url: 1024, hex: 1024 },
  decode: { utf8: 24576, utf16le: 16384, latin1: 32768, ascii: 32768, base64: 2048, base64url: 2048, hex: 6144 },
};

export interface EncodingOps {
  readonly encoding: EncodingName;
  /** How indexOf searches a string needle in this encoding. */
  readonly search: 'utf8' | 'ucs2' | 'latin1' | 'bytes';
  byteLength(str: string): number;
  /** Writes at most `max` bytes of `str` into u at `offset`; returns the count written. */
  write(u: Uint8Array, str: string, offset: number, max: number): number;
  slice(u: Uint8Array, start: number, end: number): string;
  /** Whole-string decode into a fresh buffer when the host should do it; undefined otherwise. */
  decodeLarge(str: string): ArrayBuffer | undefined;
}

/** Node's normalizeEncoding: the canonical name, or undefined for an unknown encoding. */
export function normalizeEncoding(enc: unknown): EncodingName | undefined {
  if (enc == null || enc === 'utf8' || enc === 'utf-8') return 'utf8';
  const lower = StringPrototypeToLowerCase(`${enc as string}`);
  switch (lower) {
    case 'utf8':
    case 'utf-8':
      return 'utf8';
    case 'ucs2':
    case 'ucs-2':
    case 'utf16le':
    case 'utf-16le':
      return 'utf16le';
    case 'latin1':
    case 'binary':
      return 'latin1';
    case 'base64':
      return 'base64';
    case 'base64url':
      return 'base64url';
    case 'hex':
      return 'hex';
    case 'ascii':
      return 'ascii';
    case '':
      return 'utf8';
    default:
      return undefined;
  }
}

export interface Codecs {
  /** Node's getEncodingOps: undefined for unknown names (including ''). */
  opsFor(encoding: unknown): EncodingOps | undefined;
  readonly utf8: EncodingOps;
  readonly ascii: EncodingOps;
  readonly latin1: EncodingOps;
  readonly utf16le: EncodingOps;
  readonly hex: EncodingOps;
  readonly base64: EncodingOps;
  readonly base64url: EncodingOps;
}

type JsWrite = (str: string, u: Uint8Array, offset: number, max: number) => number;

/**
 * V8's own base64/hex codecs (ES2026 Uint8Array methods, turned on by the engine host): measured
 * on 20 MB of random bytes inside an isolate, toBase64 12 ms (host Node 11.6 ms, the bridge 32 ms),
 * fromBase64 4–11 ms (bridge 31 ms), toHex 38 ms (bridge 40 ms), and no bytes cross the boundary.
 * fromHex is not used: 160 ms on random data (31 ms on patterned data), where the bridge takes
 * 54 ms; hex is decoded in place by codecs.hexWriteBulk through fromBase64 instead (every hex digit
 * is a base64 character), ~3x faster than host Node's hex decoder and nothing crosses the
 * boundary. V8's base64 decoder is stricter than Node's (which skips invalid characters and stops at
 * the first '='), so a native decode that throws falls back to the Node-compatible paths; where
 * it accepts the input it produces exactly Node's bytes.
 */
interface NativeCodec {
  encode(u: Uint8Array, start: number, end: number): string;
  /** The decoded bytes, or undefined when the input is not strictly valid (the caller falls back). */
  decode?(str: string): Uint8Array | undefined;
  /** A complete write (Node's result on any input), for codecs that decode in place. */
  write?(u: Uint8Array, str: string, offset: number, max: number): number;
}

/**
 * V8 13.6's flag-gated toHex/toBase64 ignore the view's byteOffset (they encode from the start of
 * the backing buffer; test/integration/buffer-native.test.ts pins this). So the encoders only get
 * views that start at offset 0; others are copied first (a memcpy, cheap next to the encode).
 */
function atOffsetZero(u: Uint8Array, start: number, end: number): Uint8Array {
  const view = TypedArrayPrototypeSubarray(u, start, end);
  return TypedArrayPrototypeGetByteOffset(view) === 0 ? view : TypedArrayPrototypeSlice(view);
}

/** Below this many bytes the JS codecs are as fast as a native call. */
const NATIVE_MIN_BYTES = 48;

function nullProto<T extends object>(fields: T): T {
  const out = ObjectCreate(null) as T;
  for (const key of ObjectKeys(fields) as (keyof T)[]) out[key] = fields[key];
  return out;
}

type NativeKind = 'base64' | 'base64url' | 'hex';

/**
 * The native codecs of the current context. V8 adds flag-gated builtins to each context when it
 * is created, after the snapshot the guest was evaluated into, so they are looked up per context
 * by bindNativeCodecs() (called while the context is installed, before any user code runs).
 */
const natives: Partial<Record<NativeKind, NativeCodec>> = ObjectCreate(null) as Partial<Record<NativeKind, NativeCodec>>;

export function bindNativeCodecs(): void {
  natives.base64 = nativeCodec('base64');
  natives.base64url = nativeCodec('base64url');
  natives.hex = nativeCodec('hex');
}

/** Whether the native codec of `kind` was bound in this context (for the capture check). */
export function hasNativeCodec(kind: NativeKind): boolean {
  return natives[kind] !== undefined;
}

function nativeCodec(kind: NativeKind): NativeCodec | undefined {
  const statics = Uint8ArrayCtor as unknown as {
    fromBase64?: (this: unknown, str: string, options?: object) => Uint8Array;
  };
  const methods = Uint8ArrayCtor.prototype as unknown as {
    toBase64?: (this: Uint8Array, options?: object) => string;
    toHex?: (this: Uint8Array) => string;
  };
  if (kind === 'hex') {
    const toHexMethod = methods.toHex;
    const fromBase64Static = statics.fromBase64;
    if (typeof toHexMethod !== 'function' || typeof fromBase64Static !== 'function') return undefined;
    const toHex = uncurryThis(toHexMethod);
    // Default options (strict 'base64' alphabet, whitespace skipped): hexWriteBulk checks for both.
    const sextets = (str: string) => {
      try {
        return ReflectApply(fromBase64Static, Uint8ArrayCtor, [str]) as Uint8Array;
      } catch {
        return undefined;
      }
    };
    return {
      encode: (u, start, end) => toHex(atOffsetZero(u, start, end)),
      write: (u, str, offset, max) => codecs.hexWriteBulk(str, u, offset, max, sextets),
    };
  }
  const toBase64Method = methods.toBase64;
  const fromBase64Static = statics.fromBase64;
  if (typeof toBase64Method !== 'function' || typeof fromBase64Static !== 'function') return undefined;
  const toBase64 = uncurryThis(toBase64Method);
  const fromBase64 = (str: string, options: object) => ReflectApply(fromBase64Static, Uint8ArrayCtor, [str, options]) as Uint8Array;
  // Null-prototype options: V8 reads option names we do not set from the prototype chain.
  const encodeOptions = kind === 'base64url' ? nullProto({ alphabet: 'base64url', omitPadding: true }) : undefined;
  const decodeOptions = nullProto({ alphabet: kind, lastChunkHandling: 'loose' });
  return {
    encode: (u, start, end) => toBase64(atOffsetZero(u, start, end), encodeOptions),
    decode(str) {
      try {
        return fromBase64(str, decodeOptions);
      } catch {
        return undefined;
      }
    },
  };
}
type JsSlice = (u: Uint8Array, start: number, end: number) => string;

export function createCodecs(calls: BridgeCalls | undefined, thresholds: BridgeThresholds = DEFAULT_THRESHOLDS): Codecs {
  const make = (
    encoding: EncodingName,
    host: HostEncoding,
    search: EncodingOps['search'],
    byteLength: (s: string) => number,
    jsWrite: JsWrite,
    jsSlice: JsSlice,
    /** Largest prefix of a full decode that a limited write keeps (utf8: whole chars only). */
    keep: (bytes: Uint8Array, n: number) => number,
    nativeKind?: NativeKind,
  ): EncodingOps => {
    const encodeAt = thresholds.encode[host];
    const decodeAt = thresholds.decode[host];
    return {
      encoding,
      search,
      byteLength,
      slice(u, start, end) {
        const n = end - start;
        const native = nativeKind && natives[nativeKind];
        if (native !== undefined && n >= NATIVE_MIN_BYTES) return native.encode(u, start, end);
        if (calls !== undefined && n >= encodeAt && n <= MAX_BRIDGE_UNITS) {
          const out = calls.encode(u, start, end, host);
          if (out !== undefined) return out;
        }
        return jsSlice(u, start, end);
      },
      decodeLarge(str) {
        const native = nativeKind && natives[nativeKind];
        // An in-place native write beats any crossing: the caller allocates and write() fills.
        if (native?.write !== undefined) return undefined;
        if (native?.decode !== undefined && str.length >= NATIVE_MIN_BYTES) {
          const bytes = native.decode(str);
          if (bytes !== undefined) return TypedArrayPrototypeGetBuffer(bytes) as ArrayBuffer;
        }
        if (calls !== undefined && str.length >= decodeAt && str.length <= MAX_BRIDGE_UNITS) return calls.decode(str, host);
        return undefined;
      },
      write(u, str, offset, max) {
        const native = nativeKind && natives[nativeKind];
        if (native?.write !== undefined && str.length >= NATIVE_MIN_BYTES) return native.write(u, str, offset, max);
        if (native?.decode !== undefined && str.length >= NATIVE_MIN_BYTES) {
          const bytes = native.decode(str);
          if (bytes !== undefined) {
            const len = TypedArrayPrototypeGetByteLength(bytes);
            const n = len <= max ? len : keep(bytes, max);
            TypedArrayPrototypeSet(u, n === len ? bytes : TypedArrayPrototypeSubarray(bytes, 0, n), offset);
            return n;
          }
        }
        if (calls === undefined || str.length < decodeAt || max < decodeAt || str.length > MAX_BRIDGE_UNITS) return jsWrite(str, u, offset, max);
        const ab = calls.decode(str, host);
        if (ab === undefined) return jsWrite(str, u, offset, max);
        const bytes = new Uint8ArrayCtor(ab);
        const len = TypedArrayPrototypeGetByteLength(bytes);
        const n = len <= max ? len : keep(bytes, max);
        TypedArrayPrototypeSet(u, TypedArrayPrototypeSubarray(bytes, 0, n), offset);
        return n;
      },
    };
  };
  const prefix = (_: Uint8Array, n: number) => n;
  const wholeUtf8 = (bytes: Uint8Array, n: number) => {
    while (n > 0 && (bytes[n]! & 0xc0) === 0x80) n--;
    return n;
  };
  const even = (_: Uint8Array, n: number) => n & ~1;
  const len1 = (s: string) => s.length;

  const utf8 = make('utf8', 'utf8', 'utf8', codecs.utf8ByteLength, codecs.utf8Write, codecs.utf8Slice, wholeUtf8);
  const utf16le = make('utf16le', 'utf16le', 'ucs2', (s) => s.length * 2, codecs.ucs2Write, codecs.ucs2Slice, even);
  const latin1 = make('latin1', 'latin1', 'latin1', len1, codecs.latin1Write, codecs.latin1Slice, prefix);
  const ascii = make('ascii', 'ascii', 'bytes', len1, codecs.latin1Write, codecs.asciiSlice, prefix);
  const hex = make('hex', 'hex', 'bytes', (s) => s.length >>> 1, codecs.hexWrite, codecs.hexSlice, prefix, 'hex');
  const b64len = (s: string) => codecs.base64ByteLength(s, s.length);
  const base64 = make('base64', 'base64', 'bytes', b64len, codecs.base64Write, codecs.base64Slice, prefix, 'base64');
  const base64url = make('base64url', 'base64url', 'bytes', b64len, codecs.base64Write, codecs.base64urlSlice, prefix, 'base64url');

  const byName = (name: unknown): EncodingOps | undefined => {
    switch (name) {
      case 'utf8':
      case 'utf-8':
        return utf8;
      case 'hex':
        return hex;
      case 'base64':
        return base64;
      case 'latin1':
      case 'binary':
        return latin1;
      case 'ucs2':
      case 'ucs-2':
      case 'utf16le':
      case 'utf-16le':
        return utf16le;
      case 'base64url':
        return base64url;
      case 'ascii':
        return ascii;
      default:
        return undefined;
    }
  };

  return {
    utf8,
    ascii,
    latin1,
    utf16le,
    hex,
    base64,
    base64url,
    opsFor(encoding) {
      // Exact spellings first: lower-casing allocates, and these are what code almost always passes.
      const direct = byName(encoding);
      if (direct !== undefined) return direct;
      return byName(StringPrototypeToLowerCase(`${encoding as string}`));
    },
  };
}
