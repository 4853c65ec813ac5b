/**
 * The Buffer class: a Uint8Array subclass with Node's statics and prototype, modelled on lib/buffer.js
 * (Node 24). Like Node, instances are made by an internal `FastBuffer` subclass whose prototype is
 * `Buffer.prototype`, small allocations are carved from a shared pool (`Buffer.poolSize`), and
 * `Buffer(...)` works with or without `new`.
 *
 * Everything here calls captured intrinsics and internal functions, never `this.method(...)`, so a
 * user who patches `Buffer.prototype.utf8Slice` or `Uint8Array.prototype.set` only changes their own
 * calls, not how the Buffer works.
 */
import {
  ERR_BUFFER_OUT_OF_BOUNDS,
  ERR_INVALID_ARG_TYPE,
  ERR_INVALID_ARG_VALUE,
  ERR_INVALID_BUFFER_SIZE,
  ERR_OUT_OF_RANGE,
  ERR_STRING_TOO_LONG,
  ERR_UNKNOWN_ENCODING,
  MAX_STRING_LENGTH,
  makeError,
} from './errors.ts';
import { type Codecs, type EncodingOps, normalizeEncoding } from './encodings.ts';
import {
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferIsView,
  ArrayIsArray,
  ArrayPrototypeSlice,
  MathFloor,
  MathTrunc,
  NumberIsInteger,
  NumberIsNaN,
  ObjectDefineProperty,
  ObjectSetPrototypeOf,
  StringPrototypeCharCodeAt,
  SymbolFor,
  SymbolToPrimitive,
  TypedArrayPrototypeFill,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSlice,
  TypedArrayPrototypeSubarray,
  Uint8ArrayCtor,
  isAnyArrayBuffer,
  isArrayBuffer,
  isSharedArrayBuffer,
  isTypedArray,
  isUint8Array,
  viewBuffer,
  viewByteLength,
  viewByteOffset,
  TypeErrorCtor,
} from '../primordials.ts';
import { installReadWrite } from './read-write.ts';
import { bidirectionalIndexOf } from './search.ts';
import { kMaxLength, validateInteger, validateNumber, validateOffset } from './validators.ts';

export interface BufferParts {
  Buffer: BufferConstructorLike;
  /** Makes a Buffer view (no copy) over the given memory. */
  view(ab: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
  /** The internal string -> Buffer path (TextEncoder uses it). */
  fromString(str: string, encoding: string): Uint8Array;
}

// The public shape is Node's; typing it structurally would only duplicate @types/node.
export type BufferConstructorLike = Function & Record<string, unknown> & { prototype: Uint8Array };

const len = (b: ArrayBufferView) => TypedArrayPrototypeGetLength(b);
const byteLen = (b: ArrayBufferView) => viewByteLength(b);

/**
 * `require('buffer').INSPECT_MAX_BYTES`: how many bytes inspecting a Buffer shows. One per context
 * (each context has its own copy of this module's state); the `buffer` module's setter changes it,
 * and both `buf.inspect()` and the console/result rendering honour it.
 */
export const inspectLimit = { maxBytes: 50 };

function define(target: object, name: string | symbol, value: unknown, enumerable = true): void {
  ObjectDefineProperty(target, name, { value, writable: true, enumerable, configurable: true });
}

export function createBuffer(codecs: Codecs): BufferParts {
  class FastBuffer extends Uint8ArrayCtor {
    // Explicit parameters: the default derived constructor would forward `...args`.
    constructor(bufferOrLength?: number | ArrayBufferLike, byteOffset?: number, length?: number) {
      super(bufferOrLength as ArrayBuffer, byteOffset, length);
    }
  }
  const proto = FastBuffer.prototype;

  // ---- pool (Node: createPool / alignPool) -------------------------------------------------------
  let poolSize = 0;
  let poolOffset = 0;
  let allocPool: ArrayBuffer = new ArrayBuffer(0);
  function createPool() {
    poolSize = (Buffer as unknown as { poolSize: number }).poolSize;
    allocPool = TypedArrayPrototypeGetBuffer(new FastBuffer(poolSize)) as ArrayBuffer;
    poolOffset = 0;
  }
  function alignPool() {
    if (poolOffset & 0x7) {
      poolOffset |= 0x7;
      poolOffset++;
    }
  }
  const currentPoolSize = () => (Buffer as unknown as { poolSize: number }).poolSize;

  function allocate(size: number): Uint8Array {
    if (size <= 0) return new FastBuffer();
    if (size < currentPoolSize() >>> 1) {
      if (size > poolSize - poolOffset) createPool();
      const b = new FastBuffer(allocPool, poolOffset, size);
      poolOffset += size;
      alignPool();
      return b;
    }
    return new FastBuffer(size);
  }

  function fromStringFast(string: string, ops: EncodingOps): Uint8Array {
    const maxLength = currentPoolSize() >>> 1;
    let length = string.length;
    if (length >= maxLength) return createFromString(string, ops);
    length *= 4;
    if (length >= maxLength) length = ops.byteLength(string);
    if (length >= maxLength) return createFromString(string, ops, length);
    if (length > poolSize - poolOffset) createPool();
    let b = new FastBuffer(allocPool, poolOffset, length);
    const actual = ops.write(b, string, 0, length);
    if (actual !== length) b = new FastBuffer(allocPool, poolOffset, actual);
    poolOffset += actual;
    alignPool();
    return b;
  }

  function createFromString(string: string, ops: EncodingOps, length?: number): Uint8Array {
    const large = ops.decodeLarge(string);
    if (large !== undefined) return new FastBuffer(large, 0, ArrayBufferPrototypeGetByteLength(large));
    const size = length ?? ops.byteLength(string);
    const b = new FastBuffer(size);
    const actual = ops.write(b, string, 0, size);
    return actual === size ? b : new FastBuffer(TypedArrayPrototypeGetBuffer(b), 0, actual);
  }

  function fromString(string: string, encoding: unknown): Uint8Array {
    let ops: EncodingOps | undefined;
    if (typeof encoding !== 'string' || encoding.length === 0) {
      if (string.length === 0) return new FastBuffer();
      ops = codecs.utf8;
    } else {
      ops = codecs.opsFor(encoding);
      if (ops === undefined) throw ERR_UNKNOWN_ENCODING(encoding);
      if (string.length === 0) return new FastBuffer();
    }
    return fromStringFast(string, ops);
  }

  function fromArrayLike(obj: ArrayLike<number>): Uint8Array {
    const n = obj.length;
    if (n <= 0) return new FastBuffer();
    if (n < currentPoolSize() >>> 1) {
      if (n > poolSize - poolOffset) createPool();
      const b = new FastBuffer(allocPool, poolOffset, n);
      TypedArrayPrototypeSet(b, obj, 0);
      poolOffset += n;
      alignPool();
      return b;
    }
    const b = new FastBuffer(n);
    TypedArrayPrototypeSet(b, obj, 0);
    return b;
  }

  function fromArrayBuffer(obj: ArrayBufferLike, byteOffset: unknown, length: unknown): Uint8Array {
    let offset: number;
    if (byteOffset === undefined) offset = 0;
    else {
      offset = +(byteOffset as number);
      if (NumberIsNaN(offset)) offset = 0;
    }
    const total = isSharedArrayBuffer(obj) ? (obj as SharedArrayBuffer).byteLength : ArrayBufferPrototypeGetByteLength(obj as ArrayBuffer);
    const maxLength = total - offset;
    if (maxLength < 0) throw ERR_BUFFER_OUT_OF_BOUNDS('offset');
    let n: number;
    if (length === undefined) n = maxLength;
    else {
      n = +(length as number);
      if (n > 0) {
        if (n > maxLength) throw ERR_BUFFER_OUT_OF_BOUNDS('length');
      } else n = 0;
    }
    return new FastBuffer(obj, offset, n);
  }

  function fromObject(obj: Record<string, unknown>): Uint8Array | undefined {
    if (obj.length !== undefined || isAnyArrayBuffer(obj.buffer)) {
      if (typeof obj.length !== 'number') return new FastBuffer();
      return fromArrayLike(obj as unknown as ArrayLike<number>);
    }
    if (obj.type === 'Buffer' && ArrayIsArray(obj.data)) return fromArrayLike(obj.data as number[]);
    return undefined;
  }

  function from(value: unknown, encodingOrOffset?: unknown, length?: unknown): Uint8Array {
    if (typeof value === 'string') return fromString(value, encodingOrOffset);
    if (typeof value === 'object' && value !== null) {
      if (isAnyArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
      const valueOf = (value as { valueOf?: () => unknown }).valueOf && (value as { valueOf: () => unknown }).valueOf();
      if (valueOf != null && valueOf !== value && (typeof valueOf === 'string' || typeof valueOf === 'object')) {
        return from(valueOf, encodingOrOffset, length);
      }
      const b = fromObject(value as Record<string, unknown>);
      if (b) return b;
      const toPrimitive = (value as Record<symbol, unknown>)[SymbolToPrimitive];
      if (typeof toPrimitive === 'function') {
        const primitive = (value as Record<symbol, (hint: string) => unknown>)[SymbolToPrimitive]!('string');
        if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
      }
    }
    throw ERR_INVALID_ARG_TYPE('first argument', ['string', 'Buffer', 'ArrayBuffer', 'Array', 'Array-like Object'], value);
  }

  // ---- the constructor and statics ---------------------------------------------------------------
  function Buffer(arg: unknown, encodingOrOffset?: unknown, length?: unknown): Uint8Array {
    if (typeof arg === 'number') {
      if (typeof encodingOrOffset === 'string') throw ERR_INVALID_ARG_TYPE('string', 'string', arg);
      return alloc(arg);
    }
    return from(arg, encodingOrOffset, length);
  }
  ObjectDefineProperty(Buffer, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
  define(proto, 'constructor', Buffer, false);
  ObjectSetPrototypeOf(Buffer, Uint8ArrayCtor);

  function alloc(size: unknown, fill?: unknown, encoding?: unknown): Uint8Array {
    validateNumber(size, 'size', 0, kMaxLength);
    if (fill !== undefined && fill !== 0 && size > 0) {
      const buf = new FastBuffer(size);
      return fillImpl(buf, fill, 0, len(buf), encoding);
    }
    return new FastBuffer(size);
  }

  function byteLength(string: unknown, encoding?: unknown): number {
    if (typeof string !== 'string') {
      if (ArrayBufferIsView(string)) return byteLen(string as ArrayBufferView);
      if (isArrayBuffer(string)) return ArrayBufferPrototypeGetByteLength(string);
      if (isSharedArrayBuffer(string)) return (string as SharedArrayBuffer).byteLength;
      throw ERR_INVALID_ARG_TYPE('string', ['string', 'Buffer', 'ArrayBuffer'], string);
    }
    const n = string.length;
    if (n === 0) return 0;
    if (!encoding || encoding === 'utf8') return codecs.utf8.byteLength(string);
    if (encoding === 'ascii') return n;
    const ops = codecs.opsFor(encoding);
    if (ops === undefined) return codecs.utf8.byteLength(string);
    return ops.byteLength(string);
  }

  function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
    const an = aEnd - aStart;
    const bn = bEnd - bStart;
    const n = an < bn ? an : bn;
    for (let i = 0; i < n; i++) {
      const x = a[aStart + i]!;
      const y = b[bStart + i]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return an < bn ? -1 : an > bn ? 1 : 0;
  }

  function copyActual(source: ArrayBufferView, target: ArrayBufferView, targetStart: number, sourceStart: number, sourceEnd: number): number {
    const targetLen = byteLen(target);
    if (sourceEnd - sourceStart > targetLen - targetStart) sourceEnd = sourceStart + targetLen - targetStart;
    let nb = sourceEnd - sourceStart;
    const sourceLen = byteLen(source) - sourceStart;
    if (nb > sourceLen) nb = sourceLen;
    if (nb <= 0) return 0;
    const src = new Uint8ArrayCtor(viewBuffer(source), viewByteOffset(source) + sourceStart, nb);
    const dst = new Uint8ArrayCtor(viewBuffer(target), viewByteOffset(target) + targetStart, nb);
    // %TypedArray%.prototype.set clones first when both views share a buffer: memmove semantics.
    TypedArrayPrototypeSet(dst, src);
    return nb;
  }

  function toInteger(n: unknown, defaultVal: number): number {
    const v = +(n as number);
    if (!NumberIsNaN(v) && v >= -(2 ** 53 - 1) && v <= 2 ** 53 - 1) return v % 1 === 0 ? v : MathFloor(v);
    return defaultVal;
  }

  function copyImpl(source: unknown, target: unknown, targetStart: unknown, sourceStart: unknown, sourceEnd: unknown): number {
    if (!ArrayBufferIsView(source)) throw ERR_INVALID_ARG_TYPE('source', ['Buffer', 'Uint8Array'], source);
    if (!ArrayBufferIsView(target)) throw ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
    let ts: number;
    let ss: number;
    let se: number;
    if (targetStart === undefined) ts = 0;
    else {
      ts = NumberIsInteger(targetStart) ? (targetStart as number) : toInteger(targetStart, 0);
      if (ts < 0) throw ERR_OUT_OF_RANGE('targetStart', '>= 0', ts);
    }
    if (sourceStart === undefined) ss = 0;
    else {
      ss = NumberIsInteger(sourceStart) ? (sourceStart as number) : toInteger(sourceStart, 0);
      if (ss < 0 || ss > byteLen(source)) throw ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${byteLen(source)}`, ss);
    }
    if (sourceEnd === undefined) se = byteLen(source);
    else {
      se = NumberIsInteger(sourceEnd) ? (sourceEnd as number) : toInteger(sourceEnd, 0);
      if (se < 0) throw ERR_OUT_OF_RANGE('sourceEnd', '>= 0', se);
    }
    if (ts >= byteLen(target) || ss >= se) return 0;
    return copyActual(source, target, ts, ss, se);
  }

  function fillImpl(buf: Uint8Array, value: unknown, offset: unknown, end: unknown, encoding: unknown): Uint8Array {
    let normalized: ReturnType<typeof normalizeEncoding>;
    if (typeof value === 'string') {
      if (offset === undefined || typeof offset === 'string') {
        encoding = offset;
        offset = 0;
        end = len(buf);
      } else if (typeof end === 'string') {
        encoding = end;
        end = len(buf);
      }
      normalized = normalizeEncoding(encoding);
      if (normalized === undefined) {
        if (typeof encoding !== 'string') throw ERR_INVALID_ARG_TYPE('encoding', 'string', encoding);
        throw ERR_UNKNOWN_ENCODING(encoding);
      }
      if (value.length === 0) value = 0;
      else if (value.length === 1) {
        if (normalized === 'utf8') {
          const code = StringPrototypeCharCodeAt(value, 0);
          if (code < 128) value = code;
        } else if (normalized === 'latin1') value = StringPrototypeCharCodeAt(value, 0);
      }
    } else encoding = undefined;

    let start: number;
    let stop: number;
    if (offset === undefined) {
      start = 0;
      stop = len(buf);
    } else {
      validateOffset(offset, 'offset');
      start = offset;
      if (end === undefined) stop = len(buf);
      else {
        validateOffset(end, 'end', 0, len(buf));
        stop = end;
      }
      if (start >= stop) return buf;
    }

    if (typeof value === 'number') {
      const fillLength = stop - start;
      if (start > stop || fillLength + start > byteLen(buf)) throw ERR_BUFFER_OUT_OF_BOUNDS();
      TypedArrayPrototypeFill(buf, value, start, stop);
      return buf;
    }
    let pattern: Uint8Array;
    if (typeof value === 'string') {
      const ops = codecs.opsFor(normalized! === 'utf16le' ? 'utf16le' : normalized!)!;
      pattern = new Uint8ArrayCtor(ops.byteLength(value) + (normalized! === 'base64' || normalized! === 'base64url' ? 3 : 0));
      const n = ops.write(pattern, value, 0, len(pattern));
      pattern = TypedArrayPrototypeSubarray(pattern, 0, n);
    } else if (ArrayBufferIsView(value)) {
      pattern = new Uint8ArrayCtor(viewBuffer(value), viewByteOffset(value), byteLen(value));
    } else {
      // Node's binding: anything else is converted to uint32 and its low byte is used.
      TypedArrayPrototypeFill(buf, (+(value as number) >>> 0) & 255, start, stop);
      return buf;
    }
    const plen = len(pattern);
    if (plen === 0) throw ERR_INVALID_ARG_VALUE('value', value);
    if (stop > byteLen(buf)) throw ERR_BUFFER_OUT_OF_BOUNDS();
    // Copy the pattern once (it may alias buf), then double the filled region.
    const first = stop - start < plen ? stop - start : plen;
    TypedArrayPrototypeSet(buf, TypedArrayPrototypeSlice(pattern, 0, first), start);
    let filled = first;
    while (filled < stop - start) {
      const n = filled < stop - start - filled ? filled : stop - start - filled;
      TypedArrayPrototypeSet(buf, TypedArrayPrototypeSubarray(buf, start, start + n), start + filled);
      filled += n;
    }
    return buf;
  }

  function adjustOffset(offset: unknown, length: number): number {
    const o = MathTrunc(offset as number);
    if (o === 0 || NumberIsNaN(o)) return 0;
    if (o < 0) {
      const r = o + length;
      return r > 0 ? r : 0;
    }
    if (o < length) return o;
    return length;
  }

  function toStringImpl(buf: Uint8Array, encoding: unknown, start: number, end: number): string {
    const ops = encoding === undefined ? codecs.utf8 : codecs.opsFor(encoding);
    if (ops === undefined) throw ERR_UNKNOWN_ENCODING(encoding);
    if (end - start > MAX_STRING_LENGTH / (ops.encoding === 'hex' ? 2 : ops.encoding === 'base64' || ops.encoding === 'base64url' ? 4 / 3 : 1)) {
      throw ERR_STRING_TOO_LONG();
    }
    return ops.slice(buf, start, end);
  }

  const statics = {
    from,
    copyBytesFrom(view: unknown, offset?: unknown, length?: unknown) {
      if (!isTypedArray(view)) throw ERR_INVALID_ARG_TYPE('view', ['TypedArray'], view);
      const viewLength = len(view);
      if (viewLength === 0) return new FastBuffer();
      let v = view as unknown as Uint8Array;
      if (offset !== undefined || length !== undefined) {
        let start: number;
        if (offset !== undefined) {
          validateInteger(offset, 'offset', 0);
          if (offset >= viewLength) return new FastBuffer();
          start = offset;
        } else start = 0;
        let end: number;
        if (length !== undefined) {
          validateInteger(length, 'length', 0);
          end = start + length;
        } else end = viewLength;
        v = TypedArrayPrototypeSlice(v, start, end);
      }
      return fromArrayLike(new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(v), TypedArrayPrototypeGetByteOffset(v), byteLen(v)));
    },
    of(...items: number[]) {
      const n = items.length;
      const b = allocate(n);
      for (let k = 0; k < n; k++) b[k] = items[k]!;
      return b;
    },
    alloc,
    allocUnsafe(size: unknown) {
      validateNumber(size, 'size', 0, kMaxLength);
      return allocate(size);
    },
    allocUnsafeSlow(size: unknown) {
      validateNumber(size, 'size', 0, kMaxLength);
      return new FastBuffer(size);
    },
    isBuffer(b: unknown) {
      return b instanceof Buffer;
    },
    compare(buf1: unknown, buf2: unknown) {
      if (!isUint8Array(buf1)) throw ERR_INVALID_ARG_TYPE('buf1', ['Buffer', 'Uint8Array'], buf1);
      if (!isUint8Array(buf2)) throw ERR_INVALID_ARG_TYPE('buf2', ['Buffer', 'Uint8Array'], buf2);
      if (buf1 === buf2) return 0;
      return compareBytes(buf1, 0, len(buf1), buf2, 0, len(buf2));
    },
    isEncoding(encoding: unknown) {
      return typeof encoding === 'string' && encoding.length !== 0 && normalizeEncoding(encoding) !== undefined;
    },
    concat(list: unknown, length?: unknown) {
      if (!ArrayIsArray(list)) throw ERR_INVALID_ARG_TYPE('list', 'Array', list);
      if (list.length === 0) return new FastBuffer();
      let total: number;
      if (length === undefined) {
        total = 0;
        for (let i = 0; i < list.length; i++) {
          const n = (list[i] as { length?: number }).length;
          if (n) total += n;
        }
      } else {
        validateOffset(length, 'length');
        total = length;
      }
      const buffer = allocate(total);
      let pos = 0;
      for (let i = 0; i < list.length; i++) {
        const buf = list[i];
        if (!isUint8Array(buf)) throw ERR_INVALID_ARG_TYPE(`list[${i}]`, ['Buffer', 'Uint8Array'], buf);
        pos += copyActual(buf, buffer, pos, 0, len(buf));
      }
      if (pos < total) TypedArrayPrototypeFill(buffer, 0, pos, total);
      return buffer;
    },
    byteLength,
  };
  define(Buffer, 'poolSize', 64 * 1024);
  for (const name of ['from', 'copyBytesFrom', 'of', 'alloc', 'allocUnsafe', 'allocUnsafeSlow', 'isBuffer', 'compare', 'isEncoding', 'concat', 'byteLength'] as const) {
    define(Buffer, name, statics[name]);
  }

  // ---- prototype --------------------------------------------------------------------------------
  const slicers = {
    asciiSlice: codecs.ascii,
    base64Slice: codecs.base64,
    base64urlSlice: codecs.base64url,
    latin1Slice: codecs.latin1,
    hexSlice: codecs.hex,
    ucs2Slice: codecs.utf16le,
    utf8Slice: codecs.utf8,
  };
  const writers = {
    asciiWrite: codecs.ascii,
    base64Write: codecs.base64,
    base64urlWrite: codecs.base64url,
    latin1Write: codecs.latin1,
    hexWrite: codecs.hex,
    ucs2Write: codecs.utf16le,
    utf8Write: codecs.utf8,
  };
  installReadWrite(proto, define);
  for (const name of ['asciiSlice', 'base64Slice', 'base64urlSlice', 'latin1Slice', 'hexSlice', 'ucs2Slice', 'utf8Slice'] as const) {
    const ops = slicers[name];
    define(proto, name, {
      [name](this: Uint8Array, start?: unknown, end?: unknown) {
        const n = len(this);
        const s = start === undefined ? 0 : MathTrunc(+(start as number)) || 0;
        const e = end === undefined ? n : MathTrunc(+(end as number)) || 0;
        if (s < 0 || e > n || s > e) throw makeIndexError();
        return ops.slice(this, s, e);
      },
    }[name]);
  }
  for (const name of ['asciiWrite', 'base64Write', 'base64urlWrite', 'latin1Write', 'hexWrite', 'ucs2Write', 'utf8Write'] as const) {
    const ops = writers[name];
    define(proto, name, {
      [name](this: Uint8Array, string: unknown, offset?: unknown, length?: unknown) {
        if (typeof string !== 'string') throw notAString();
        const n = len(this);
        const o = offset === undefined ? 0 : MathTrunc(+(offset as number)) || 0;
        if (o < 0 || o > n) throw ERR_BUFFER_OUT_OF_BOUNDS('offset');
        const max = length === undefined ? n - o : MathTrunc(+(length as number)) || 0;
        return ops.write(this, string, o, max < n - o ? max : n - o);
      },
    }[name]);
  }
  // Node's native writers throw this exact, unformatted message.
  function notAString() {
    return makeError(TypeErrorCtor, 'ERR_INVALID_ARG_TYPE', 'argument must be a string');
  }
  function makeIndexError() {
    return ERR_OUT_OF_RANGE('start', 'a valid index', 'Index out of range');
  }

  ObjectDefineProperty(proto, 'parent', {
    enumerable: true,
    configurable: true,
    get(this: unknown) {
      if (!(this instanceof Buffer)) return undefined;
      return TypedArrayPrototypeGetBuffer(this as Uint8Array);
    },
  });
  ObjectDefineProperty(proto, 'offset', {
    enumerable: true,
    configurable: true,
    get(this: unknown) {
      if (!(this instanceof Buffer)) return undefined;
      return TypedArrayPrototypeGetByteOffset(this as Uint8Array);
    },
  });

  const methods = {
    copy(this: Uint8Array, target: unknown, targetStart?: unknown, sourceStart?: unknown, sourceEnd?: unknown) {
      return copyImpl(this, target, targetStart, sourceStart, sourceEnd);
    },
    toString(this: Uint8Array, encoding?: unknown, start?: unknown, end?: unknown): string {
      const n = len(this);
      if (arguments.length === 0) return toStringImpl(this, undefined, 0, n);
      let s: number;
      let e: number;
      if ((start as number) <= 0) s = 0;
      else if ((start as number) >= n) return '';
      else s = MathTrunc(start as number) || 0;
      if (end === undefined || (end as number) > n) e = n;
      else e = MathTrunc(end as number) || 0;
      if (e <= s) return '';
      return toStringImpl(this, encoding, s, e);
    },
    equals(this: Uint8Array, otherBuffer: unknown) {
      if (!isUint8Array(otherBuffer)) throw ERR_INVALID_ARG_TYPE('otherBuffer', ['Buffer', 'Uint8Array'], otherBuffer);
      if (this === otherBuffer) return true;
      const n = byteLen(this);
      if (n !== byteLen(otherBuffer)) return false;
      return n === 0 || compareBytes(this, 0, n, otherBuffer, 0, n) === 0;
    },
    inspect(this: Uint8Array) {
      const max = inspectLimit.maxBytes;
      const n = len(this);
      // Node slices bytes [0, max): a fractional limit shows its whole part.
      const shown = n < max ? n : MathTrunc(max);
      let str = '';
      for (let i = 0; i < shown; i++) str += (i === 0 ? '' : ' ') + codecs.hex.slice(this, i, i + 1);
      const remaining = n - max;
      if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
      return `<Buffer ${str}>`;
    },
    compare(this: Uint8Array, target: unknown, targetStart?: unknown, targetEnd?: unknown, sourceStart?: unknown, sourceEnd?: unknown) {
      if (!isUint8Array(target)) throw ERR_INVALID_ARG_TYPE('target', ['Buffer', 'Uint8Array'], target);
      if (arguments.length === 1) return compareBytes(this, 0, len(this), target, 0, len(target));
      if (targetStart === undefined) targetStart = 0;
      else validateOffset(targetStart, 'targetStart');
      if (targetEnd === undefined) targetEnd = len(target);
      else validateOffset(targetEnd, 'targetEnd', 0, len(target));
      if (sourceStart === undefined) sourceStart = 0;
      else validateOffset(sourceStart, 'sourceStart');
      if (sourceEnd === undefined) sourceEnd = len(this);
      else validateOffset(sourceEnd, 'sourceEnd', 0, len(this));
      const ts = targetStart as number;
      const te = targetEnd as number;
      const ss = sourceStart as number;
      const se = sourceEnd as number;
      if (ss >= se) return ts >= te ? 0 : -1;
      if (ts >= te) return 1;
      if (ss > len(this)) throw ERR_OUT_OF_RANGE('sourceStart', `>= 0 && <= ${len(this)}`, ss);
      if (ts > len(target)) throw ERR_OUT_OF_RANGE('targetStart', `>= 0 && <= ${len(target)}`, ts);
      return compareBytes(this, ss, se, target, ts, te);
    },
    indexOf(this: Uint8Array, val: unknown, byteOffset?: unknown, encoding?: unknown) {
      return bidirectionalIndexOf(codecs, this, val, byteOffset, encoding, true);
    },
    lastIndexOf(this: Uint8Array, val: unknown, byteOffset?: unknown, encoding?: unknown) {
      return bidirectionalIndexOf(codecs, this, val, byteOffset, encoding, false);
    },
    includes(this: Uint8Array, val: unknown, byteOffset?: unknown, encoding?: unknown) {
      return bidirectionalIndexOf(codecs, this, val, byteOffset, encoding, true) !== -1;
    },
    fill(this: Uint8Array, value: unknown, offset?: unknown, end?: unknown, encoding?: unknown) {
      return fillImpl(this, value, offset, end, encoding);
    },
    write(this: Uint8Array, string: unknown, offset?: unknown, length?: unknown, encoding?: unknown) {
      const n = len(this);
      if (typeof string !== 'string') throw notAString();
      if (offset === undefined) return codecs.utf8.write(this, string, 0, n);
      let o: number;
      let max: number;
      if (length === undefined && typeof offset === 'string') {
        encoding = offset;
        max = n;
        o = 0;
      } else {
        validateOffset(offset, 'offset', 0, n);
        o = offset;
        const remaining = n - o;
        if (length === undefined) max = remaining;
        else if (typeof length === 'string') {
          encoding = length;
          max = remaining;
        } else {
          validateOffset(length, 'length', 0, n);
          max = length > remaining ? remaining : length;
        }
      }
      if (!encoding || encoding === 'utf8') return codecs.utf8.write(this, string, o, max);
      const ops = codecs.opsFor(encoding);
      if (ops === undefined) throw ERR_UNKNOWN_ENCODING(encoding);
      return ops.write(this, string, o, max);
    },
    toJSON(this: Uint8Array) {
      // Array.prototype.slice over a typed array builds a plain array with own elements only.
      return { type: 'Buffer', data: len(this) > 0 ? ArrayPrototypeSlice(this) : [] };
    },
    subarray(this: Uint8Array, start?: unknown, end?: unknown) {
      const n = len(this);
      const s = adjustOffset(start, n);
      const e = end !== undefined ? adjustOffset(end, n) : n;
      return new FastBuffer(TypedArrayPrototypeGetBuffer(this), TypedArrayPrototypeGetByteOffset(this) + s, e > s ? e - s : 0);
    },
    slice(this: Uint8Array, start?: unknown, end?: unknown) {
      const n = len(this);
      const s = adjustOffset(start, n);
      const e = end !== undefined ? adjustOffset(end, n) : n;
      return new FastBuffer(TypedArrayPrototypeGetBuffer(this), TypedArrayPrototypeGetByteOffset(this) + s, e > s ? e - s : 0);
    },
    swap16(this: Uint8Array) {
      const n = len(this);
      if (n % 2 !== 0) throw ERR_INVALID_BUFFER_SIZE('16-bits');
      for (let i = 0; i < n; i += 2) {
        const t = this[i]!;
        this[i] = this[i + 1]!;
        this[i + 1] = t;
      }
      return this;
    },
    swap32(this: Uint8Array) {
      const n = len(this);
      if (n % 4 !== 0) throw ERR_INVALID_BUFFER_SIZE('32-bits');
      for (let i = 0; i < n; i += 4) {
        const a = this[i]!;
        const b = this[i + 1]!;
        this[i] = this[i + 3]!;
        this[i + 1] = this[i + 2]!;
        this[i + 2] = b;
        this[i + 3] = a;
      }
      return this;
    },
    swap64(this: Uint8Array) {
      const n = len(this);
      if (n % 8 !== 0) throw ERR_INVALID_BUFFER_SIZE('64-bits');
      for (let i = 0; i < n; i += 8) {
        for (let k = 0; k < 4; k++) {
          const t = this[i + k]!;
          this[i + k] = this[i + 7 - k]!;
          this[i + 7 - k] = t;
        }
      }
      return this;
    },
  };
  for (const name of ['copy', 'toString', 'equals', 'inspect', 'compare', 'indexOf', 'lastIndexOf', 'includes', 'fill', 'write', 'toJSON', 'subarray', 'slice', 'swap16', 'swap32', 'swap64'] as const) {
    define(proto, name, methods[name]);
  }
  define(proto, 'toLocaleString', methods.toString);
  define(proto, SymbolFor('nodejs.util.inspect.custom'), methods.inspect, false);

  return {
    Buffer: Buffer as unknown as BufferConstructorLike,
    view: (ab, byteOffset, length) => new FastBuffer(ab, byteOffset, length),
    fromString: (str, encoding) => fromString(str, encoding),
  };
}

export { isUint8Array };
