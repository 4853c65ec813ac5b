/** A leak report in words, the way the panel and its tests say it. */
import type { LeakReport, LeakSample } from '../../../../engine/common/leak.ts';
import { formatBytes } from '../../ui/units.ts';

export function verdictText(report: Pick<LeakReport, 'verdict' | 'slopeBytesPerIteration'>): string {
  switch (report.verdict) {
    case 'leak':
      return `Leaks ≈ ${formatBytes(report.slopeBytesPerIteration)} per run`;
    case 'stable':
      return 'Stable';
    case 'inconclusive':
      return 'Inconclusive';
  }
}

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
