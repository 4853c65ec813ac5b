/**
 * Buffer, TextEncoder, TextDecoder, atob and btoa for the sandbox (issue 3). Placeholder until the
 * Buffer work lands: the engine calls installBuffer during context setup.
 */

/** Host codec functions handed in by the engine (sync callbacks; arguments and results are copies). */
export interface CodecBridge {
  /** Encodes a copy of `bytes` as `encoding` on the host. */
  encode(bytes: Uint8Array, encoding: string): string;
  /** Decodes `text` from `encoding` on the host; returns a fresh copy of the bytes. */
  decode(text: string, encoding: string): ArrayBuffer;
}

export function installBuffer(_global: typeof globalThis, _bridge: CodecBridge): void {}

/** True for the sandbox's Buffer instances (used by the result serializer and console). */
export function isBuffer(_value: unknown): boolean {
  return false;
}
