/** Handle counts of a leak profile, for the panel's ledger. (The verdict's words are engine/common/leak-words.ts.) */
import type { LeakSample } from '../../../../engine/common/leak.ts';

export function totalHandles(sample: LeakSample): number {
  return Object.values(sample.handles).reduce((a, b) => a + b, 0);
}

/** Every handle kind seen in any sample, with its last count and slope. */
export function handleLedger(samples: readonly LeakSample[], slopes: Record<string, number>): { kind: string; last: number; slope: number }[] {
  const kinds = new Set<string>(Object.keys(slopes));
  for (const s of samples) for (const k of Object.keys(s.handles)) kinds.add(k);
  const last = samples[samples.length - 1];
  return [...kinds].sort().map((kind) => ({ kind, last: last?.handles[kind] ?? 0, slope: slopes[kind] ?? 0 }));
}
