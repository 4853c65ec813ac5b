/**
 * Host side of the Buffer codecs (issue 3): large encodes and decodes run on the host's native
 * Buffer. The engine wraps `encode`/`decode` in `ivm.Callback` (sync) once per context, registers
 * each in the context's HandleLedger, and calls `startRun()` at the start of every run.
 *
 * Ownership: isolated-vm copies callback arguments into this heap and copies results back, so the
 * bytes we get are our own copy and what we return becomes the isolate's own copy. Nothing here
 * keeps a reference to isolate memory or hands out a view of host memory.
 *
 * Limits: every call is charged against a per-call and a per-run budget, in input units (bytes to
 * encode, or UTF-16 units of text to decode; the host allocates a small multiple of that). Over
 * budget the call is refused with a RangeError whose message starts with CODEC_LIMIT_PREFIX; the
 * guest then does the work inside the isolate, where the isolate's own memory limit bounds it.
 */

import { CODEC_LIMIT_PREFIX } from '../common/guest-abi.ts';
import ivm from 'isolated-vm';

/** Decoded results from this size on are moved into the isolate rather than copied (measured: a
 * 20 MB copy costs ~40 ms of fresh-page faults on the project machine; a transfer costs nothing). */
export const TRANSFER_MIN_BYTES = 256 * 1024;

/**
 * Encode inputs from this size on are released as soon as they are encoded (detaching the
 * ArrayBuffer frees its memory now) rather than at the host's next GC: the engine host allocates
 * little JS, so its GCs are rare and every large input would otherwise take fresh pages, which
 * cost more than the encoding itself (measured: a 20 MB latin1 encode 190 ms with 40 MB of fresh
 * pages, ~10 ms without).
 */
export const RELEASE_MIN_BYTES = 256 * 1024;

/** ES2024's ArrayBuffer.prototype.transfer (the project's lib is ES2023; Node 24 has it). */
type ReleasableBuffer = ArrayBuffer & { transfer(newLength: number): ArrayBuffer };

export interface CodecBridgeLimits {
  /** Largest input a single encode/decode call may hand to the host, in bytes (or UTF-16 units). */
  maxBytesPerCall: number;
  /** Total input one run may hand to the host for encoding/decoding, in bytes (or UTF-16 units). */
  maxBytesPerRun: number;
}

export interface CodecUsage {
  /** Calls served in the current run. */
  calls: number;
  /** Input units charged in the current run. */
  bytes: number;
  /** Calls refused (over budget) in the current run. */
  refused: number;
}

/**
 * A decode result: small results as an ArrayBuffer (isolated-vm copies it into the isolate); large
 * ones as an ExternalCopy made with `transferOut`, which the guest opens with
 * `copy({ transferIn: true, release: true })`. That moves the freshly decoded backing store into
 * the isolate instead of copying it a second time: the host detaches its ArrayBuffer, so the bytes
 * are owned by the receiver alone, as the copy rule requires.
 */
export type DecodeResult = ArrayBuffer | ivm.ExternalCopy<ArrayBuffer>;

export interface HostCodec {
  /** Encodes `bytes`, which the host owns (isolated-vm's copy): from RELEASE_MIN_BYTES on, they are released. */
  encode(bytes: Uint8Array, encoding: string): string;
  decode(text: string, encoding: string): DecodeResult;
  /** Called by the engine when a new run starts in the context (resets the per-run budget). */
  startRun(): void;
  /** What the current run has used so far (for reports and tests). */
  usage(): CodecUsage;
}

/** A budget refusal starts with this; the guest recognises it and falls back to its own codecs. */
export { CODEC_LIMIT_PREFIX };

export const DEFAULT_CODEC_LIMITS: CodecBridgeLimits = {
  // 64 Mi units covers a 20 MB hex decode (40 M chars) with room; the guest never sends more.
  maxBytesPerCall: 64 * 1024 * 1024,
  maxBytesPerRun: 1024 * 1024 * 1024,
};

const ENCODINGS: ReadonlySet<string> = new Set(['utf8', 'utf16le', 'latin1', 'ascii', 'base64', 'base64url', 'hex']);

function checkEncoding(encoding: unknown): BufferEncoding {
  if (typeof encoding !== 'string' || !ENCODINGS.has(encoding)) throw new TypeError(`unsupported encoding ${String(encoding)}`);
  return encoding as BufferEncoding;
}

export function createHostCodec(limits: CodecBridgeLimits = DEFAULT_CODEC_LIMITS): HostCodec {
  let usage: CodecUsage = { calls: 0, bytes: 0, refused: 0 };
  const charge = (n: number) => {
    if (n > limits.maxBytesPerCall) {
      usage.refused++;
      throw new RangeError(`${CODEC_LIMIT_PREFIX} ${n} units exceed the per-call limit of ${limits.maxBytesPerCall}`);
    }
    if (usage.bytes + n > limits.maxBytesPerRun) {
      usage.refused++;
      throw new RangeError(`${CODEC_LIMIT_PREFIX} the run has used ${usage.bytes} of ${limits.maxBytesPerRun} units`);
    }
    usage.bytes += n;
    usage.calls++;
  };
  return {
    encode(bytes, encoding) {
      const enc = checkEncoding(encoding);
      if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
      charge(bytes.byteLength);
      // A view over our own copy: no further copy before Node's native encoder runs.
      const out = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(enc);
      if (bytes.byteLength >= RELEASE_MIN_BYTES && bytes.buffer instanceof ArrayBuffer) (bytes.buffer as ReleasableBuffer).transfer(0);
      return out;
    },
    decode(text, encoding) {
      const enc = checkEncoding(encoding);
      if (typeof text !== 'string') throw new TypeError('text must be a string');
      charge(text.length);
      const out = Buffer.from(text, enc);
      // Large results own their ArrayBuffer exactly; small ones sit in Node's pool and must be cut
      // out, or isolated-vm would copy the whole pool into the isolate.
      const exact =
        out.byteOffset === 0 && out.buffer.byteLength === out.byteLength
          ? (out.buffer as ArrayBuffer)
          : (out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
      if (exact.byteLength < TRANSFER_MIN_BYTES) return exact;
      return new ivm.ExternalCopy(exact, { transferOut: true });
    },
    startRun() {
      usage = { calls: 0, bytes: 0, refused: 0 };
    },
    usage() {
      return { ...usage };
    },
  };
}
