/**
 * Pure-JS codecs, used inside the isolate for inputs below the bridge threshold (and for everything
 * when no bridge is present). Each one reproduces what Node's native codec does, including its
 * handling of invalid input:
 * - utf8 decode: WHATWG "maximal subpart" replacement with U+FFFD (what V8's decoder does);
 *   utf8 encode: lone surrogates become EF BF BD, and a write never splits a character.
 * - hex decode: pairs until the first invalid pair; an odd last digit is dropped. Two-byte strings
 *   are read through a uint8 cast, exactly like nbytes::HexDecode.
 * - base64/base64url decode (both alphabets in both): characters outside the alphabet are skipped,
 *   the first '=' ends the input, 1 trailing char gives nothing (nbytes::Base64Decode).
 * - ascii decode clears the high bit; ascii and latin1 encode keep the low byte of each code unit.
 * - utf16le decode keeps lone surrogates; an odd trailing byte is ignored.
 */
import { BASE64_ALPHABET, BASE64URL_ALPHABET } from '../../common/guest-abi.ts';
import {
  ReflectApply,
  StringFromCharCode,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray,
  Uint16ArrayCtor,
  Uint8ArrayCtor,
} from '../primordials.ts';

const CHUNK = 4096;
// One scratch area for building strings; codecs never run user code, so nothing can re-enter.
const scratch = new Uint16ArrayCtor(CHUNK + 4);

function flush(out: string, n: number): string {
  return out + (ReflectApply(StringFromCharCode, undefined, n === CHUNK + 4 ? scratch : TypedArrayPrototypeSubarray(scratch as unknown as Uint8Array, 0, n)) as string);
}

export function latin1Slice(u: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i += CHUNK) {
    const j = i + CHUNK < end ? i + CHUNK : end;
    out += ReflectApply(StringFromCharCode, undefined, TypedArrayPrototypeSubarray(u, i, j)) as string;
  }
  return out;
}

export function asciiSlice(u: Uint8Array, start: number, end: number): string {
  let out = '';
  let n = 0;
  for (let i = start; i < end; i++) {
    scratch[n++] = u[i]! & 0x7f;
    if (n === CHUNK) {
      out = flush(out, n);
      n = 0;
    }
  }
  return n > 0 ? flush(out, n) : out;
}

export function ucs2Slice(u: Uint8Array, start: number, end: number): string {
  let out = '';
  let n = 0;
  const last = end - 1;
  for (let i = start; i < last; i += 2) {
    scratch[n++] = u[i]! | (u[i + 1]! << 8);
    if (n === CHUNK) {
      out = flush(out, n);
      n = 0;
    }
  }
  return n > 0 ? flush(out, n) : out;
}

const HEX_CODES = new Uint16ArrayCtor(512);
for (let b = 0; b < 256; b++) {
  HEX_CODES[b * 2] = StringPrototypeCharCodeAt('0123456789abcdef', b >> 4);
  HEX_CODES[b * 2 + 1] = StringPrototypeCharCodeAt('0123456789abcdef', b & 15);
}

// Two-character strings per byte: for short inputs, concatenation beats building a code-unit array.
const HEX_PAIRS: string[] = [];
for (let b = 0; b < 256; b++) HEX_PAIRS[b] = '0123456789abcdef'[b >> 4]! + '0123456789abcdef'[b & 15]!;
const SHORT = 512;

export function hexSlice(u: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT) {
    let s = '';
    for (let i = start; i < end; i++) s += HEX_PAIRS[u[i]!]!;
    return s;
  }
  let out = '';
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = u[i]! << 1;
    scratch[n++] = HEX_CODES[b]!;
    scratch[n++] = HEX_CODES[b + 1]!;
    if (n >= CHUNK) {
      out = flush(out, n);
      n = 0;
    }
  }
  return n > 0 ? flush(out, n) : out;
}

const B64 = BASE64_ALPHABET;
const B64URL = BASE64URL_ALPHABET;
const B64_CODES = new Uint16ArrayCtor(64);
const B64URL_CODES = new Uint16ArrayCtor(64);
for (let i = 0; i < 64; i++) {
  B64_CODES[i] = StringPrototypeCharCodeAt(B64, i);
  B64URL_CODES[i] = StringPrototypeCharCodeAt(B64URL, i);
}

function base64SliceWith(u: Uint8Array, start: number, end: number, codes: Uint16Array, pad: boolean): string {
  let out = '';
  let n = 0;
  let i = start;
  const full = start + (((end - start) / 3) | 0) * 3;
  for (; i < full; i += 3) {
    const v = (u[i]! << 16) | (u[i + 1]! << 8) | u[i + 2]!;
    scratch[n++] = codes[v >> 18]!;
    scratch[n++] = codes[(v >> 12) & 63]!;
    scratch[n++] = codes[(v >> 6) & 63]!;
    scratch[n++] = codes[v & 63]!;
    if (n >= CHUNK) {
      out = flush(out, n);
      n = 0;
    }
  }
  const rest = end - i;
  if (rest === 1) {
    const v = u[i]! << 16;
    scratch[n++] = codes[v >> 18]!;
    scratch[n++] = codes[(v >> 12) & 63]!;
    if (pad) {
      scratch[n++] = 61;
      scratch[n++] = 61;
    }
  } else if (rest === 2) {
    const v = (u[i]! << 16) | (u[i + 1]! << 8);
    scratch[n++] = codes[v >> 18]!;
    scratch[n++] = codes[(v >> 12) & 63]!;
    scratch[n++] = codes[(v >> 6) & 63]!;
    if (pad) scratch[n++] = 61;
  }
  return n > 0 ? flush(out, n) : out;
}

export const base64Slice = (u: Uint8Array, start: number, end: number) => base64SliceWith(u, start, end, B64_CODES, true);
export const base64urlSlice = (u: Uint8Array, start: number, end: number) => base64SliceWith(u, start, end, B64URL_CODES, false);

/** Set by utf8Slice when it met invalid input (TextDecoder's `fatal` reads it). */
export let utf8SawInvalid = false;

export function utf8Slice(u: Uint8Array, start: number, end: number): string {
  let out = '';
  let n = 0;
  let i = start;
  utf8SawInvalid = false;
  while (i < end) {
    if (n >= CHUNK) {
      out = flush(out, n);
      n = 0;
    }
    const b = u[i]!;
    if (b < 0x80) {
      scratch[n++] = b;
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      if (b === 0xe0) lower = 0xa0;
      else if (b === 0xed) upper = 0x9f;
      need = 2;
      cp = b & 0xf;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (b === 0xf0) lower = 0x90;
      else if (b === 0xf4) upper = 0x8f;
      need = 3;
      cp = b & 7;
    } else {
      scratch[n++] = 0xfffd;
      utf8SawInvalid = true;
      i++;
      continue;
    }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++) {
      if (j >= end) {
        ok = false;
        break;
      }
      const c = u[j]!;
      if (c < lower || c > upper) {
        ok = false;
        break;
      }
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
      j++;
    }
    i = j;
    if (!ok) {
      // The valid prefix becomes one U+FFFD; the offending byte is decoded afresh.
      scratch[n++] = 0xfffd;
      utf8SawInvalid = true;
    } else if (cp >= 0x10000) {
      cp -= 0x10000;
      scratch[n++] = 0xd800 | (cp >> 10);
      scratch[n++] = 0xdc00 | (cp & 0x3ff);
    } else {
      scratch[n++] = cp;
    }
  }
  return n > 0 ? flush(out, n) : out;
}

/** How many UTF-16 units the last utf8Write consumed (TextEncoder.encodeInto reports it). */
export let utf8LastRead = 0;

/**
 * Writes whole characters only, like V8's String::WriteUtf8; returns bytes written. While 4 bytes
 * of room remain (the most one character takes) the loop needs no room checks; the last few bytes
 * go through the careful loop.
 */
export function utf8Write(str: string, u: Uint8Array, offset: number, max: number): number {
  let p = offset;
  const lim = offset + max;
  const roomy = lim - 4;
  const len = str.length;
  let i = 0;
  while (i < len && p <= roomy) {
    const c = StringPrototypeCharCodeAt(str, i++);
    if (c < 0x80) {
      u[p++] = c;
    } else if (c < 0x800) {
      u[p] = 0xc0 | (c >> 6);
      u[p + 1] = 0x80 | (c & 63);
      p += 2;
    } else if ((c & 0xf800) !== 0xd800) {
      u[p] = 0xe0 | (c >> 12);
      u[p + 1] = 0x80 | ((c >> 6) & 63);
      u[p + 2] = 0x80 | (c & 63);
      p += 3;
    } else if (c <= 0xdbff && i < len && (StringPrototypeCharCodeAt(str, i) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (StringPrototypeCharCodeAt(str, i++) - 0xdc00);
      u[p] = 0xf0 | (cp >> 18);
      u[p + 1] = 0x80 | ((cp >> 12) & 63);
      u[p + 2] = 0x80 | ((cp >> 6) & 63);
      u[p + 3] = 0x80 | (cp & 63);
      p += 4;
    } else {
      // A lone surrogate becomes U+FFFD.
      u[p] = 0xef;
      u[p + 1] = 0xbf;
      u[p + 2] = 0xbd;
      p += 3;
    }
  }
  for (; i < len; i++) {
    let c = StringPrototypeCharCodeAt(str, i);
    if (c < 0x80) {
      if (p >= lim) break;
      u[p++] = c;
      continue;
    }
    if (c < 0x800) {
      if (p + 2 > lim) break;
      u[p++] = 0xc0 | (c >> 6);
      u[p++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < len) {
        const d = StringPrototypeCharCodeAt(str, i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          if (p + 4 > lim) break;
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          u[p++] = 0xf0 | (cp >> 18);
          u[p++] = 0x80 | ((cp >> 12) & 63);
          u[p++] = 0x80 | ((cp >> 6) & 63);
          u[p++] = 0x80 | (cp & 63);
          i++;
          continue;
        }
      }
      c = 0xfffd;
    }
    if (p + 3 > lim) break;
    u[p++] = 0xe0 | (c >> 12);
    u[p++] = 0x80 | ((c >> 6) & 63);
    u[p++] = 0x80 | (c & 63);
  }
  utf8LastRead = i;
  return p - offset;
}

/**
 * Counts without branching on the character class (mixed text mispredicts those branches; this
 * runs ~2.5x faster on it): every unit counts 1, plus 1 from U+0080 and 1 more from U+0800. A
 * surrogate pair counts its high unit as 3 and skips the low one, 4 in all; lone surrogates
 * count 3, the size of the U+FFFD they become.
 */
export function utf8ByteLength(str: string): number {
  const len = str.length;
  let n = len;
  for (let i = 0; i < len; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    n += ((c + 0xff80) >>> 16) + ((c + 0xf800) >>> 16);
    if ((c & 0xfc00) === 0xd800 && i + 1 < len && (StringPrototypeCharCodeAt(str, i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

export function latin1Write(str: string, u: Uint8Array, offset: number, max: number): number {
  const n = str.length < max ? str.length : max;
  for (let i = 0; i < n; i++) u[offset + i] = StringPrototypeCharCodeAt(str, i);
  return n;
}

export function ucs2Write(str: string, u: Uint8Array, offset: number, max: number): number {
  const chars = str.length < max >>> 1 ? str.length : max >>> 1;
  let p = offset;
  for (let i = 0; i < chars; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    u[p++] = c;
    u[p++] = c >>> 8;
  }
  return chars * 2;
}

const UNHEX = new Uint8ArrayCtor(256).fill(255);
for (let i = 0; i < 10; i++) UNHEX[48 + i] = i;
for (let i = 0; i < 6; i++) {
  UNHEX[65 + i] = 10 + i;
  UNHEX[97 + i] = 10 + i;
}
// High and low nibble of a byte by character code; 0x100 marks an invalid digit, so `hi | lo` is a
// valid byte exactly when it is below 0x100 (one test per pair instead of two).
const HEX_HI = new Uint16ArrayCtor(256).fill(0x100);
const HEX_LO = new Uint16ArrayCtor(256).fill(0x100);
for (let c = 0; c < 256; c++) {
  if (UNHEX[c] !== 255) {
    HEX_HI[c] = UNHEX[c]! << 4;
    HEX_LO[c] = UNHEX[c]!;
  }
}

/**
 * Decodes the hex pairs of str starting at pair `from` into u[offset...], at most `max` bytes;
 * returns the count written. Stops at the first invalid pair; an odd last digit is dropped.
 */
export function hexWriteFrom(str: string, from: number, u: Uint8Array, offset: number, max: number): number {
  const pairs = (str.length >>> 1) - from;
  const n = pairs < max ? pairs : max;
  let j = from * 2;
  for (let i = 0; i < n; i++, j += 2) {
    const v = HEX_HI[StringPrototypeCharCodeAt(str, j) & 0xff]! | HEX_LO[StringPrototypeCharCodeAt(str, j + 1) & 0xff]!;
    if (v > 255) return i;
    u[offset + i] = v;
  }
  return n > 0 ? n : 0;
}

export function hexWrite(str: string, u: Uint8Array, offset: number, max: number): number {
  return hexWriteFrom(str, 0, u, offset, max);
}

/**
 * Bulk hex decoding through a native base64 decoder. Every hex digit is also a base64 character,
 * so decoding a hex string as base64 yields the digits' 6-bit base64 values packed 4 per 3 bytes,
 * at native speed and without a per-character charCodeAt. HEX_BY_SEXTETS then maps each two
 * 6-bit values (12 bits) to the byte those two digits spell, or to 0x100 when either value is not
 * a hex digit's. A chunk is trusted only if the native decoder took every character (it skips
 * whitespace, stops at '=', throws on anything outside its alphabet) and every pair was valid;
 * otherwise the exact decoder takes over from the chunk's start and stops where Node stops.
 */
const HEX_BY_SEXTETS = new Uint16ArrayCtor(4096).fill(0x100);
{
  const nibble = new Uint8ArrayCtor(64).fill(255);
  for (let v = 0; v < 64; v++) nibble[v] = UNHEX[StringPrototypeCharCodeAt(BASE64_ALPHABET, v)]!;
  for (let a = 0; a < 64; a++) {
    for (let b = 0; b < 64; b++) {
      if (nibble[a] !== 255 && nibble[b] !== 255) HEX_BY_SEXTETS[(a << 6) | b] = (nibble[a]! << 4) | nibble[b]!;
    }
  }
}
/** Characters per native call: a multiple of 4 (whole base64 quads), small enough to stay in cache. */
export const HEX_BULK_CHARS = 32768;
const hexBulkOut = new Uint8ArrayCtor(HEX_BULK_CHARS >>> 1);

/** Decodes like hexWrite; `base64` is the native decoder (undefined when the input is not strict base64). */
export function hexWriteBulk(str: string, u: Uint8Array, offset: number, max: number, base64: (s: string) => Uint8Array | undefined): number {
  const pairs = (str.length >>> 1) < max ? str.length >>> 1 : max;
  if (!(pairs > 0)) return 0;
  const quadChars = (pairs >>> 1) << 2;
  let done = 0;
  for (let i = 0; i < quadChars; i += HEX_BULK_CHARS) {
    const j = i + HEX_BULK_CHARS < quadChars ? i + HEX_BULK_CHARS : quadChars;
    const sextets = base64(StringPrototypeSlice(str, i, j));
    const n = sextets === undefined ? 0 : TypedArrayPrototypeGetLength(sextets);
    if (n * 4 !== (j - i) * 3) break;
    let bad = 0;
    let q = 0;
    for (let p = 0; p < n; p += 3) {
      const mid = sextets![p + 1]!;
      const hi = HEX_BY_SEXTETS[(sextets![p]! << 4) | (mid >> 4)]!;
      const lo = HEX_BY_SEXTETS[((mid & 15) << 8) | sextets![p + 2]!]!;
      bad |= hi | lo;
      hexBulkOut[q++] = hi;
      hexBulkOut[q++] = lo;
    }
    if (bad > 255) break;
    // Through a scratch chunk: a write must leave the bytes after an invalid pair untouched.
    TypedArrayPrototypeSet(u, q === HEX_BULK_CHARS >>> 1 ? hexBulkOut : TypedArrayPrototypeSubarray(hexBulkOut, 0, q), offset + done);
    done += q;
  }
  return done + hexWriteFrom(str, done, u, offset + done, pairs - done);
}

const UNBASE64 = new Uint8ArrayCtor(256).fill(255);
for (let i = 0; i < 64; i++) {
  UNBASE64[StringPrototypeCharCodeAt(B64, i)] = i;
  UNBASE64[StringPrototypeCharCodeAt(B64URL, i)] = i;
}

export function base64Write(str: string, u: Uint8Array, offset: number, max: number): number {
  const srcLen = str.length;
  let k = 0;
  let i = 0;
  let acc = 0;
  let nacc = 0;
  while (i < srcLen && k < max) {
    const c = StringPrototypeCharCodeAt(str, i++) & 0xff;
    const v = UNBASE64[c]!;
    if (v === 255) {
      if (c === 61) break;
      continue;
    }
    acc = (acc << 6) | v;
    nacc++;
    if (nacc === 2) u[offset + k++] = (acc >> 4) & 0xff;
    else if (nacc === 3) u[offset + k++] = (acc >> 2) & 0xff;
    else if (nacc === 4) {
      u[offset + k++] = acc & 0xff;
      acc = 0;
      nacc = 0;
    }
  }
  return k;
}

export function base64ByteLength(str: string, bytes: number): number {
  if (bytes > 0 && StringPrototypeCharCodeAt(str, bytes - 1) === 0x3d) bytes--;
  if (bytes > 1 && StringPrototypeCharCodeAt(str, bytes - 1) === 0x3d) bytes--;
  return (bytes * 3) >>> 2;
}
