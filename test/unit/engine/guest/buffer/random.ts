import { seededRandom as rng } from '../../../../support/random.ts';

export { rng };

export const ENCODINGS = ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii', 'utf16le'] as const;
export type Enc = (typeof ENCODINGS)[number];

/** Random bytes; `kind` biases them toward text-like content so utf8 sees valid and invalid runs. */
export function randomBytes(next: () => number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const kind = Math.floor(next() * 3);
  for (let i = 0; i < size; i++) {
    const r = next();
    if (kind === 0) out[i] = (r * 256) | 0;
    else if (kind === 1) out[i] = r < 0.9 ? 32 + ((r * 1000) % 95) : (r * 256) | 0;
    else out[i] = r < 0.5 ? 97 + ((r * 100) % 26) : [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0][(r * 1000) % 11 | 0]!;
  }
  return out;
}

/** A string for decoding: mostly valid for `enc`, sprinkled with whitespace, junk and surrogates. */
export function randomText(next: () => number, length: number, enc: Enc): string {
  const alphabet =
    enc === 'hex' ? '0123456789abcdefABCDEF' : enc === 'base64' || enc === 'base64url' ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_' : '';
  const junk = ' \n\t=*\u00e9\u0100\u0141\ud800\udc00\u{1F600}g';
  const noise = next() < 0.5 ? 0 : 0.001 + next() * 0.02;
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < length; i++) {
    const r = next();
    let ch: string;
    if (r < noise) ch = junk[(r * 1e6) % junk.length | 0]!;
    else if (alphabet) ch = alphabet[(r * 1e6) % alphabet.length | 0]!;
    else {
      const c = (r * 1e6) | 0;
      ch = c % 10 < 6 ? String.fromCharCode(32 + (c % 95)) : c % 10 < 8 ? String.fromCharCode(0xa0 + (c % 0x700)) : c % 10 < 9 ? String.fromCharCode(0x3000 + (c % 0x5000)) : '\u{1F600}';
    }
    chunk += ch;
    if (chunk.length >= 4096) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  const text = parts.join('');
  return next() < 0.2 ? `${text}==` : text;
}

/** Sizes from 0 to `max`, log-spread so small, threshold-adjacent and multi-megabyte sizes all occur. */
export function randomSize(next: () => number, max: number): number {
  const r = next();
  if (r < 0.1) return Math.floor(next() * 8);
  return Math.floor(Math.exp(next() * Math.log(max)));
}
