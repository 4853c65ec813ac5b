/**
 * indexOf / lastIndexOf / includes, after Node's bidirectionalIndexOf (lib/buffer.js) and the native
 * IndexOfString / IndexOfBuffer / IndexOfNumber (src/node_buffer.cc), including their offset rules
 * and the utf16le search that only matches at even offsets.
 */
import { ERR_INVALID_ARG_TYPE, ERR_UNKNOWN_ENCODING } from './errors.ts';
import type { Codecs, EncodingOps } from './encodings.ts';
import { MathTrunc, NumberIsNaN, StringPrototypeCharCodeAt, TypedArrayPrototypeGetLength, Uint8ArrayCtor, isUint8Array } from '../primordials.ts';
import { latin1Write, ucs2Write, utf8ByteLength, utf8Write } from './codecs.ts';

/** Node's IndexOfOffset: where the search starts, or -1 when it cannot match. */
function indexOfOffset(length: number, offset: number, needleLength: number, isForward: boolean): number {
  if (offset < 0) {
    if (offset + length >= 0) return length + offset;
    if (isForward || needleLength === 0) return 0;
    return -1;
  }
  if (offset + needleLength <= length) return offset;
  if (needleLength === 0) return length;
  if (isForward) return -1;
  return length - 1;
}

/** First match at >= start (forward) or last match at <= start (backward), in `unit`-sized elements. */
function searchBytes(hay: Uint8Array, hayLen: number, needle: Uint8Array, needleLen: number, start: number, isForward: boolean, unit: number): number {
  const hayUnits = (hayLen / unit) | 0;
  const needleUnits = (needleLen / unit) | 0;
  if (hayUnits < needleUnits) return -1;
  const diff = hayUnits - needleUnits;
  const first0 = needle[0]!;
  const matchAt = (pos: number) => {
    const base = pos * unit;
    for (let k = 0; k < needleUnits * unit; k++) if (hay[base + k] !== needle[k]) return false;
    return true;
  };
  if (isForward) {
    for (let pos = start; pos <= diff; pos++) if (hay[pos * unit] === first0 && matchAt(pos)) return pos * unit;
  } else {
    for (let pos = start < diff ? start : diff; pos >= 0; pos--) if (hay[pos * unit] === first0 && matchAt(pos)) return pos * unit;
  }
  return -1;
}

function stringNeedleBytes(val: string, ops: EncodingOps): Uint8Array {
  if (ops.search === 'utf8') {
    const out = new Uint8ArrayCtor(utf8ByteLength(val));
    utf8Write(val, out, 0, out.length);
    return out;
  }
  if (ops.search === 'ucs2') {
    const out = new Uint8ArrayCtor(val.length * 2);
    ucs2Write(val, out, 0, out.length);
    return out;
  }
  if (ops.search === 'latin1') {
    const out = new Uint8ArrayCtor(val.length);
    latin1Write(val, out, 0, out.length);
    return out;
  }
  // hex, base64, base64url, ascii: Node decodes the needle into a buffer first.
  const out = new Uint8ArrayCtor(ops.byteLength(val));
  const n = ops.write(out, val, 0, out.length);
  return n === out.length ? out : new Uint8ArrayCtor(out.buffer, 0, n);
}

function indexOfNeedle(hay: Uint8Array, needle: Uint8Array, offset: number, ucs2: boolean, isForward: boolean, isStringNeedle: boolean): number {
  const hayLen = TypedArrayPrototypeGetLength(hay);
  const needleLen = TypedArrayPrototypeGetLength(needle);
  const opt = indexOfOffset(hayLen, offset, needleLen, isForward);
  if (needleLen === 0) return opt;
  if (hayLen === 0) return -1;
  if (opt <= -1) return -1;
  if ((isForward && needleLen + opt > hayLen) || needleLen > hayLen) return -1;
  if (ucs2) {
    if (hayLen < 2 || needleLen < (isStringNeedle ? 1 : 2)) return -1;
    return searchBytes(hay, hayLen, needle, needleLen, (opt / 2) | 0, isForward, 2);
  }
  return searchBytes(hay, hayLen, needle, needleLen, opt, isForward, 1);
}

export function bidirectionalIndexOf(codecs: Codecs, buffer: Uint8Array, val: unknown, byteOffset: unknown, encoding: unknown, dir: boolean): number {
  const length = TypedArrayPrototypeGetLength(buffer);
  if (typeof byteOffset === 'string') {
    encoding = byteOffset;
    byteOffset = undefined;
  } else if ((byteOffset as number) > 0x7fffffff) byteOffset = 0x7fffffff;
  else if ((byteOffset as number) < -0x80000000) byteOffset = -0x80000000;
  let offset = +(byteOffset as number);
  if (NumberIsNaN(offset)) offset = dir ? 0 : length;
  offset = MathTrunc(offset);

  if (typeof val === 'number') {
    const needle = (val >>> 0) & 0xff;
    const opt = indexOfOffset(length, offset, 1, dir);
    if (opt <= -1 || length === 0) return -1;
    if (dir) {
      for (let i = opt; i < length; i++) if (buffer[i] === needle) return i;
    } else {
      for (let i = opt; i >= 0; i--) if (buffer[i] === needle) return i;
    }
    return -1;
  }
  const ops = encoding === undefined ? codecs.utf8 : codecs.opsFor(encoding);
  if (typeof val === 'string') {
    if (ops === undefined) throw ERR_UNKNOWN_ENCODING(encoding);
    const needle = stringNeedleBytes(val, ops);
    if (ops.search === 'ucs2' && val.length === 0) return indexOfOffset(length, offset, 0, dir);
    return indexOfNeedle(buffer, needle, offset, ops.search === 'ucs2', dir, ops.search !== 'bytes');
  }
  if (isUint8Array(val)) {
    const ucs2 = ops !== undefined && ops.search === 'ucs2';
    return indexOfNeedle(buffer, val, offset, ucs2, dir, false);
  }
  throw ERR_INVALID_ARG_TYPE('value', ['number', 'string', 'Buffer', 'Uint8Array'], val);
}

export { StringPrototypeCharCodeAt };
