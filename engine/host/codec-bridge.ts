/**
 * Host side of the Buffer codecs (issue 3). Placeholder until the Buffer work lands.
 * The engine wraps these functions in ivm.Callback (sync) per context and registers each in the
 * context's HandleLedger.
 */
export interface CodecBridgeLimits {
  /** Largest input a single encode/decode call may hand to the host, in bytes. */
  maxBytesPerCall: number;
  /** Total bytes one run may hand to the host for encoding/decoding. */
  maxBytesPerRun: number;
}

export interface HostCodec {
  encode(bytes: Uint8Array, encoding: string): string;
  decode(text: string, encoding: string): ArrayBuffer;
  /** Called by the engine when a new run starts in the context (resets the per-run budget). */
  startRun(): void;
}

export const DEFAULT_CODEC_LIMITS: CodecBridgeLimits = { maxBytesPerCall: 256 * 1024 * 1024, maxBytesPerRun: 1024 * 1024 * 1024 };

export function createHostCodec(limits: CodecBridgeLimits = DEFAULT_CODEC_LIMITS): HostCodec {
  let used = 0;
  const charge = (n: number) => {
    if (n > limits.maxBytesPerCall || used + n > limits.maxBytesPerRun) throw new RangeError('codec budget exceeded');
    used += n;
  };
  return {
    encode(bytes, encoding) {
      charge(bytes.byteLength);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding as BufferEncoding);
    },
    decode(text, encoding) {
      charge(text.length);
      const out = Buffer.from(text, encoding as BufferEncoding);
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
    },
    startRun() {
      used = 0;
    },
  };
}
