/**
 * The read/write family of Buffer.prototype, following lib/internal/buffer.js line by line so that
 * coercions, bounds checks and error messages match Node (`buf[offset] === undefined` is Node's own
 * bounds test: it is undefined for negative, fractional and past-the-end offsets alike).
 */
import { ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE as ERR_OUT_OF_RANGE_ } from './errors.ts';
import { ReflectApply, BigIntCtor, Float32ArrayCtor, Float64ArrayCtor, IS_LITTLE_ENDIAN, MathFloor, NumberCtor, TypedArrayPrototypeGetLength, Uint8ArrayCtor } from '../primordials.ts';
import { boundsError, checkInt, validateNumber } from './validators.ts';

type B = Uint8Array;
const len = (b: B) => TypedArrayPrototypeGetLength(b);

const float32Array = new Float32ArrayCtor(1);
const uInt8Float32Array = new Uint8ArrayCtor(float32Array.buffer);
const float64Array = new Float64ArrayCtor(1);
const uInt8Float64Array = new Uint8ArrayCtor(float64Array.buffer);

// ---- reads -------------------------------------------------------------------------------------

function readUInt8(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const val = this[offset];
  if (val === undefined) boundsError(offset, len(this) - 1);
  return val;
}
function readUInt16LE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 1];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 2);
  return first + last * 2 ** 8;
}
function readUInt16BE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 1];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 2);
  return first * 2 ** 8 + last;
}
function readUInt24LE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 2];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 3);
  return first + buf[offset + 1]! * 2 ** 8 + last * 2 ** 16;
}
function readUInt24BE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 2];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 3);
  return first * 2 ** 16 + buf[offset + 1]! * 2 ** 8 + last;
}
function readUInt32LE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 3];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 4);
  return first + this[offset + 1]! * 2 ** 8 + this[offset + 2]! * 2 ** 16 + last * 2 ** 24;
}
function readUInt32BE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 3];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 4);
  return first * 2 ** 24 + this[offset + 1]! * 2 ** 16 + this[offset + 2]! * 2 ** 8 + last;
}
function readUInt40LE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 4];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 5);
  return first + buf[offset + 1]! * 2 ** 8 + buf[offset + 2]! * 2 ** 16 + buf[offset + 3]! * 2 ** 24 + last * 2 ** 32;
}
function readUInt40BE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 4];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 5);
  return first * 2 ** 32 + buf[offset + 1]! * 2 ** 24 + buf[offset + 2]! * 2 ** 16 + buf[offset + 3]! * 2 ** 8 + last;
}
function readUInt48LE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 5];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 6);
  return first + buf[offset + 1]! * 2 ** 8 + buf[offset + 2]! * 2 ** 16 + buf[offset + 3]! * 2 ** 24 + (buf[offset + 4]! + last * 2 ** 8) * 2 ** 32;
}
function readUInt48BE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 5];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 6);
  return (first * 2 ** 8 + buf[offset + 1]!) * 2 ** 32 + buf[offset + 2]! * 2 ** 24 + buf[offset + 3]! * 2 ** 16 + buf[offset + 4]! * 2 ** 8 + last;
}
function readInt8(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const val = this[offset];
  if (val === undefined) boundsError(offset, len(this) - 1);
  return val | ((val & (2 ** 7)) * 0x1fffffe);
}
function readInt16LE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 1];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 2);
  const val = first + last * 2 ** 8;
  return val | ((val & (2 ** 15)) * 0x1fffe);
}
function readInt16BE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 1];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 2);
  const val = first * 2 ** 8 + last;
  return val | ((val & (2 ** 15)) * 0x1fffe);
}
function readInt24LE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 2];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 3);
  const val = first + buf[offset + 1]! * 2 ** 8 + last * 2 ** 16;
  return val | ((val & (2 ** 23)) * 0x1fe);
}
function readInt24BE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 2];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 3);
  const val = first * 2 ** 16 + buf[offset + 1]! * 2 ** 8 + last;
  return val | ((val & (2 ** 23)) * 0x1fe);
}
function readInt32LE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 3];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 4);
  return first + this[offset + 1]! * 2 ** 8 + this[offset + 2]! * 2 ** 16 + (last << 24);
}
function readInt32BE(this: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 3];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 4);
  return (first << 24) + this[offset + 1]! * 2 ** 16 + this[offset + 2]! * 2 ** 8 + last;
}
function readInt40LE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 4];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 5);
  return (last | ((last & (2 ** 7)) * 0x1fffffe)) * 2 ** 32 + first + buf[offset + 1]! * 2 ** 8 + buf[offset + 2]! * 2 ** 16 + buf[offset + 3]! * 2 ** 24;
}
function readInt40BE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 4];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 5);
  return (first | ((first & (2 ** 7)) * 0x1fffffe)) * 2 ** 32 + buf[offset + 1]! * 2 ** 24 + buf[offset + 2]! * 2 ** 16 + buf[offset + 3]! * 2 ** 8 + last;
}
function readInt48LE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 5];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 6);
  const val = buf[offset + 4]! + last * 2 ** 8;
  return (val | ((val & (2 ** 15)) * 0x1fffe)) * 2 ** 32 + first + buf[offset + 1]! * 2 ** 8 + buf[offset + 2]! * 2 ** 16 + buf[offset + 3]! * 2 ** 24;
}
function readInt48BE(buf: B, offset: unknown = 0): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 5];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 6);
  const val = buf[offset + 1]! + first * 2 ** 8;
  return (val | ((val & (2 ** 15)) * 0x1fffe)) * 2 ** 32 + buf[offset + 2]! * 2 ** 24 + buf[offset + 3]! * 2 ** 16 + buf[offset + 4]! * 2 ** 8 + last;
}

function readUIntLE(this: B, offset: unknown, byteLength: unknown): number {
  if (offset === undefined) throw ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  if (byteLength === 6) return readUInt48LE(this, offset);
  if (byteLength === 5) return readUInt40LE(this, offset);
  if (byteLength === 3) return readUInt24LE(this, offset);
  if (byteLength === 4) return ReflectApply(readUInt32LE, this, [offset]);
  if (byteLength === 2) return ReflectApply(readUInt16LE, this, [offset]);
  if (byteLength === 1) return ReflectApply(readUInt8, this, [offset]);
  return boundsError(byteLength as number, 6, 'byteLength');
}
function readUIntBE(this: B, offset: unknown, byteLength: unknown): number {
  if (offset === undefined) throw ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  if (byteLength === 6) return readUInt48BE(this, offset);
  if (byteLength === 5) return readUInt40BE(this, offset);
  if (byteLength === 3) return readUInt24BE(this, offset);
  if (byteLength === 4) return ReflectApply(readUInt32BE, this, [offset]);
  if (byteLength === 2) return ReflectApply(readUInt16BE, this, [offset]);
  if (byteLength === 1) return ReflectApply(readUInt8, this, [offset]);
  return boundsError(byteLength as number, 6, 'byteLength');
}
function readIntLE(this: B, offset: unknown, byteLength: unknown): number {
  if (offset === undefined) throw ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  if (byteLength === 6) return readInt48LE(this, offset);
  if (byteLength === 5) return readInt40LE(this, offset);
  if (byteLength === 3) return readInt24LE(this, offset);
  if (byteLength === 4) return ReflectApply(readInt32LE, this, [offset]);
  if (byteLength === 2) return ReflectApply(readInt16LE, this, [offset]);
  if (byteLength === 1) return ReflectApply(readInt8, this, [offset]);
  return boundsError(byteLength as number, 6, 'byteLength');
}
function readIntBE(this: B, offset: unknown, byteLength: unknown): number {
  if (offset === undefined) throw ERR_INVALID_ARG_TYPE('offset', 'number', offset);
  if (byteLength === 6) return readInt48BE(this, offset);
  if (byteLength === 5) return readInt40BE(this, offset);
  if (byteLength === 3) return readInt24BE(this, offset);
  if (byteLength === 4) return ReflectApply(readInt32BE, this, [offset]);
  if (byteLength === 2) return ReflectApply(readInt16BE, this, [offset]);
  if (byteLength === 1) return ReflectApply(readInt8, this, [offset]);
  return boundsError(byteLength as number, 6, 'byteLength');
}

function readBigUInt64LE(this: B, offset: unknown = 0): bigint {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 7];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 8);
  const lo = first + this[offset + 1]! * 2 ** 8 + this[offset + 2]! * 2 ** 16 + this[offset + 3]! * 2 ** 24;
  const hi = this[offset + 4]! + this[offset + 5]! * 2 ** 8 + this[offset + 6]! * 2 ** 16 + last * 2 ** 24;
  return BigIntCtor(lo) + (BigIntCtor(hi) << 32n);
}
function readBigUInt64BE(this: B, offset: unknown = 0): bigint {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 7];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 8);
  const hi = first * 2 ** 24 + this[offset + 1]! * 2 ** 16 + this[offset + 2]! * 2 ** 8 + this[offset + 3]!;
  const lo = this[offset + 4]! * 2 ** 24 + this[offset + 5]! * 2 ** 16 + this[offset + 6]! * 2 ** 8 + last;
  return (BigIntCtor(hi) << 32n) + BigIntCtor(lo);
}
function readBigInt64LE(this: B, offset: unknown = 0): bigint {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 7];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 8);
  const val = this[offset + 4]! + this[offset + 5]! * 2 ** 8 + this[offset + 6]! * 2 ** 16 + (last << 24);
  return (BigIntCtor(val) << 32n) + BigIntCtor(first + this[offset + 1]! * 2 ** 8 + this[offset + 2]! * 2 ** 16 + this[offset + 3]! * 2 ** 24);
}
function readBigInt64BE(this: B, offset: unknown = 0): bigint {
  validateNumber(offset, 'offset');
  const first = this[offset];
  const last = this[offset + 7];
  if (first === undefined || last === undefined) boundsError(offset, len(this) - 8);
  const val = (first << 24) + this[offset + 1]! * 2 ** 16 + this[offset + 2]! * 2 ** 8 + this[offset + 3]!;
  return (BigIntCtor(val) << 32n) + BigIntCtor(this[offset + 4]! * 2 ** 24 + this[offset + 5]! * 2 ** 16 + this[offset + 6]! * 2 ** 8 + last);
}

function readFloat(buf: B, offset: unknown, littleEndian: boolean): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 3];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 4);
  const forwards = littleEndian === IS_LITTLE_ENDIAN;
  for (let i = 0; i < 4; i++) uInt8Float32Array[forwards ? i : 3 - i] = buf[offset + i]!;
  return float32Array[0]!;
}
function readDouble(buf: B, offset: unknown, littleEndian: boolean): number {
  validateNumber(offset, 'offset');
  const first = buf[offset];
  const last = buf[offset + 7];
  if (first === undefined || last === undefined) boundsError(offset, len(buf) - 8);
  const forwards = littleEndian === IS_LITTLE_ENDIAN;
  for (let i = 0; i < 8; i++) uInt8Float64Array[forwards ? i : 7 - i] = buf[offset + i]!;
  return float64Array[0]!;
}

// ---- writes ------------------------------------------------------------------------------------

function writeU_Int8(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  const v = +(value as number);
  validateNumber(offset, 'offset');
  if (v > max || v < min) throw outOfRangeValue(`>= ${min} and <= ${max}`, v);
  if (buf[offset] === undefined) boundsError(offset, len(buf) - 1);
  buf[offset] = v;
  return offset + 1;
}
function outOfRangeValue(range: string, v: unknown) {
  return ERR_OUT_OF_RANGE_('value', range, v);
}

function writeU_Int16LE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 1);
  let o = offset as number;
  buf[o++] = v;
  buf[o++] = v >>> 8;
  return o;
}
function writeU_Int16BE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  const v = +(value as number);
  checkInt(v, min, max, buf, offset, 1);
  let o = offset as number;
  buf[o++] = v >>> 8;
  buf[o++] = v;
  return o;
}
function writeU_Int24LE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 2);
  let o = offset as number;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  return o;
}
function writeU_Int24BE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 2);
  const o = offset as number;
  buf[o + 2] = v;
  v = v >>> 8;
  buf[o + 1] = v;
  v = v >>> 8;
  buf[o] = v;
  return o + 3;
}
function writeU_Int32LE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 3);
  let o = offset as number;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  return o;
}
function writeU_Int32BE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 3);
  const o = offset as number;
  buf[o + 3] = v;
  v = v >>> 8;
  buf[o + 2] = v;
  v = v >>> 8;
  buf[o + 1] = v;
  v = v >>> 8;
  buf[o] = v;
  return o + 4;
}
function writeU_Int40LE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 4);
  const newVal = MathFloor(v * 2 ** -32);
  let o = offset as number;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  buf[o++] = newVal;
  return o;
}
function writeU_Int40BE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 4);
  let o = offset as number;
  buf[o++] = MathFloor(v * 2 ** -32);
  buf[o + 3] = v;
  v = v >>> 8;
  buf[o + 2] = v;
  v = v >>> 8;
  buf[o + 1] = v;
  v = v >>> 8;
  buf[o] = v;
  return o + 4;
}
function writeU_Int48LE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 5);
  const newVal = MathFloor(v * 2 ** -32);
  let o = offset as number;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  v = v >>> 8;
  buf[o++] = v;
  buf[o++] = newVal;
  buf[o++] = newVal >>> 8;
  return o;
}
function writeU_Int48BE(buf: B, value: unknown, offset: unknown, min: number, max: number): number {
  let v = +(value as number);
  checkInt(v, min, max, buf, offset, 5);
  const newVal = MathFloor(v * 2 ** -32);
  let o = offset as number;
  buf[o++] = newVal >>> 8;
  buf[o++] = newVal;
  buf[o + 3] = v;
  v = v >>> 8;
  buf[o + 2] = v;
  v = v >>> 8;
  buf[o + 1] = v;
  v = v >>> 8;
  buf[o] = v;
  return o + 4;
}

function writeBigU_Int64LE(buf: B, value: bigint, offset: unknown, min: bigint, max: bigint): number {
  checkInt(value, min, max, buf, offset, 7);
  let o = offset as number;
  let lo = NumberCtor(value & 0xffffffffn);
  buf[o++] = lo;
  lo = lo >> 8;
  buf[o++] = lo;
  lo = lo >> 8;
  buf[o++] = lo;
  lo = lo >> 8;
  buf[o++] = lo;
  let hi = NumberCtor((value >> 32n) & 0xffffffffn);
  buf[o++] = hi;
  hi = hi >> 8;
  buf[o++] = hi;
  hi = hi >> 8;
  buf[o++] = hi;
  hi = hi >> 8;
  buf[o++] = hi;
  return o;
}
function writeBigU_Int64BE(buf: B, value: bigint, offset: unknown, min: bigint, max: bigint): number {
  checkInt(value, min, max, buf, offset, 7);
  const o = offset as number;
  let lo = NumberCtor(value & 0xffffffffn);
  buf[o + 7] = lo;
  lo = lo >> 8;
  buf[o + 6] = lo;
  lo = lo >> 8;
  buf[o + 5] = lo;
  lo = lo >> 8;
  buf[o + 4] = lo;
  let hi = NumberCtor((value >> 32n) & 0xffffffffn);
  buf[o + 3] = hi;
  hi = hi >> 8;
  buf[o + 2] = hi;
  hi = hi >> 8;
  buf[o + 1] = hi;
  hi = hi >> 8;
  buf[o] = hi;
  return o + 8;
}

function writeFloat(buf: B, value: unknown, offset: unknown, littleEndian: boolean): number {
  const v = +(value as number);
  checkBoundsForWrite(buf, offset, 3);
  float32Array[0] = v;
  const forwards = littleEndian === IS_LITTLE_ENDIAN;
  const o = offset as number;
  for (let i = 0; i < 4; i++) buf[o + i] = uInt8Float32Array[forwards ? i : 3 - i]!;
  return o + 4;
}
function writeDouble(buf: B, value: unknown, offset: unknown, littleEndian: boolean): number {
  const v = +(value as number);
  checkBoundsForWrite(buf, offset, 7);
  float64Array[0] = v;
  const forwards = littleEndian === IS_LITTLE_ENDIAN;
  const o = offset as number;
  for (let i = 0; i < 8; i++) buf[o + i] = uInt8Float64Array[forwards ? i : 7 - i]!;
  return o + 8;
}
function checkBoundsForWrite(buf: B, offset: unknown, byteLength: number): void {
  validateNumber(offset, 'offset');
  if (buf[offset] === undefined || buf[offset + byteLength] === undefined) boundsError(offset, len(buf) - (byteLength + 1));
}

const U48 = 0xffffffffffff;
const methods = {
  readBigUInt64LE,
  readBigUInt64BE,
  readBigUint64LE: readBigUInt64LE,
  readBigUint64BE: readBigUInt64BE,
  readBigInt64LE,
  readBigInt64BE,
  writeBigUInt64LE(this: B, value: bigint, offset: unknown = 0) {
    return writeBigU_Int64LE(this, value, offset, 0n, 0xffffffffffffffffn);
  },
  writeBigUInt64BE(this: B, value: bigint, offset: unknown = 0) {
    return writeBigU_Int64BE(this, value, offset, 0n, 0xffffffffffffffffn);
  },
  writeBigInt64LE(this: B, value: bigint, offset: unknown = 0) {
    return writeBigU_Int64LE(this, value, offset, -(2n ** 63n), 2n ** 63n - 1n);
  },
  writeBigInt64BE(this: B, value: bigint, offset: unknown = 0) {
    return writeBigU_Int64BE(this, value, offset, -(2n ** 63n), 2n ** 63n - 1n);
  },
  readUIntLE,
  readUInt32LE,
  readUInt16LE,
  readUInt8,
  readUIntBE,
  readUInt32BE,
  readUInt16BE,
  readIntLE,
  readInt32LE,
  readInt16LE,
  readInt8,
  readIntBE,
  readInt32BE,
  readInt16BE,
  writeUIntLE(this: B, value: unknown, offset: unknown, byteLength: unknown) {
    if (byteLength === 6) return writeU_Int48LE(this, value, offset, 0, U48);
    if (byteLength === 5) return writeU_Int40LE(this, value, offset, 0, 0xffffffffff);
    if (byteLength === 3) return writeU_Int24LE(this, value, offset, 0, 0xffffff);
    if (byteLength === 4) return writeU_Int32LE(this, value, offset, 0, 0xffffffff);
    if (byteLength === 2) return writeU_Int16LE(this, value, offset, 0, 0xffff);
    if (byteLength === 1) return writeU_Int8(this, value, offset, 0, 0xff);
    return boundsError(byteLength as number, 6, 'byteLength');
  },
  writeUInt32LE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int32LE(this, value, offset, 0, 0xffffffff);
  },
  writeUInt16LE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int16LE(this, value, offset, 0, 0xffff);
  },
  writeUInt8(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int8(this, value, offset, 0, 0xff);
  },
  writeUIntBE(this: B, value: unknown, offset: unknown, byteLength: unknown) {
    if (byteLength === 6) return writeU_Int48BE(this, value, offset, 0, U48);
    if (byteLength === 5) return writeU_Int40BE(this, value, offset, 0, 0xffffffffff);
    if (byteLength === 3) return writeU_Int24BE(this, value, offset, 0, 0xffffff);
    if (byteLength === 4) return writeU_Int32BE(this, value, offset, 0, 0xffffffff);
    if (byteLength === 2) return writeU_Int16BE(this, value, offset, 0, 0xffff);
    if (byteLength === 1) return writeU_Int8(this, value, offset, 0, 0xff);
    return boundsError(byteLength as number, 6, 'byteLength');
  },
  writeUInt32BE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int32BE(this, value, offset, 0, 0xffffffff);
  },
  writeUInt16BE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int16BE(this, value, offset, 0, 0xffff);
  },
  writeIntLE(this: B, value: unknown, offset: unknown, byteLength: unknown) {
    if (byteLength === 6) return writeU_Int48LE(this, value, offset, -0x800000000000, 0x7fffffffffff);
    if (byteLength === 5) return writeU_Int40LE(this, value, offset, -0x8000000000, 0x7fffffffff);
    if (byteLength === 3) return writeU_Int24LE(this, value, offset, -0x800000, 0x7fffff);
    if (byteLength === 4) return writeU_Int32LE(this, value, offset, -0x80000000, 0x7fffffff);
    if (byteLength === 2) return writeU_Int16LE(this, value, offset, -0x8000, 0x7fff);
    if (byteLength === 1) return writeU_Int8(this, value, offset, -0x80, 0x7f);
    return boundsError(byteLength as number, 6, 'byteLength');
  },
  writeInt32LE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int32LE(this, value, offset, -0x80000000, 0x7fffffff);
  },
  writeInt16LE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int16LE(this, value, offset, -0x8000, 0x7fff);
  },
  writeInt8(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int8(this, value, offset, -0x80, 0x7f);
  },
  writeIntBE(this: B, value: unknown, offset: unknown, byteLength: unknown) {
    if (byteLength === 6) return writeU_Int48BE(this, value, offset, -0x800000000000, 0x7fffffffffff);
    if (byteLength === 5) return writeU_Int40BE(this, value, offset, -0x8000000000, 0x7fffffffff);
    if (byteLength === 3) return writeU_Int24BE(this, value, offset, -0x800000, 0x7fffff);
    if (byteLength === 4) return writeU_Int32BE(this, value, offset, -0x80000000, 0x7fffffff);
    if (byteLength === 2) return writeU_Int16BE(this, value, offset, -0x8000, 0x7fff);
    if (byteLength === 1) return writeU_Int8(this, value, offset, -0x80, 0x7f);
    return boundsError(byteLength as number, 6, 'byteLength');
  },
  writeInt32BE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int32BE(this, value, offset, -0x80000000, 0x7fffffff);
  },
  writeInt16BE(this: B, value: unknown, offset: unknown = 0) {
    return writeU_Int16BE(this, value, offset, -0x8000, 0x7fff);
  },
  readFloatLE(this: B, offset: unknown = 0) {
    return readFloat(this, offset, true);
  },
  readFloatBE(this: B, offset: unknown = 0) {
    return readFloat(this, offset, false);
  },
  readDoubleLE(this: B, offset: unknown = 0) {
    return readDouble(this, offset, true);
  },
  readDoubleBE(this: B, offset: unknown = 0) {
    return readDouble(this, offset, false);
  },
  writeFloatLE(this: B, value: unknown, offset: unknown = 0) {
    return writeFloat(this, value, offset, true);
  },
  writeFloatBE(this: B, value: unknown, offset: unknown = 0) {
    return writeFloat(this, value, offset, false);
  },
  writeDoubleLE(this: B, value: unknown, offset: unknown = 0) {
    return writeDouble(this, value, offset, true);
  },
  writeDoubleBE(this: B, value: unknown, offset: unknown = 0) {
    return writeDouble(this, value, offset, false);
  },
};

/** Node's aliases with lower-case "int" (readUint8 === readUInt8 and so on). */
const aliases: [string, string][] = [
  ['readUintLE', 'readUIntLE'],
  ['readUint32LE', 'readUInt32LE'],
  ['readUint16LE', 'readUInt16LE'],
  ['readUint8', 'readUInt8'],
  ['readUintBE', 'readUIntBE'],
  ['readUint32BE', 'readUInt32BE'],
  ['readUint16BE', 'readUInt16BE'],
  ['writeUintLE', 'writeUIntLE'],
  ['writeUint32LE', 'writeUInt32LE'],
  ['writeUint16LE', 'writeUInt16LE'],
  ['writeUint8', 'writeUInt8'],
  ['writeUintBE', 'writeUIntBE'],
  ['writeUint32BE', 'writeUInt32BE'],
  ['writeUint16BE', 'writeUInt16BE'],
  ['writeBigUint64LE', 'writeBigUInt64LE'],
  ['writeBigUint64BE', 'writeBigUInt64BE'],
];

/** Defines the family on `proto` as Node does: writable, enumerable, configurable methods. */
export function installReadWrite(proto: object, define: (target: object, name: string, value: unknown) => void): void {
  const table = methods as unknown as Record<string, unknown>;
  for (const name of Object.keys(table)) define(proto, name, table[name]);
  for (const [alias, name] of aliases) define(proto, alias, table[name]);
}
