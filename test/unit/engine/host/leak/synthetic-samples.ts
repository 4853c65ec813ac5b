/**
 * Synthetic leak-profile samples for unit tests: a base heap, a growth function, seeded Gaussian
 * noise (so a failing case reproduces exactly) and optional handle counts.
 */
import type { LeakSample } from '../../../../../engine/common/leak.ts';
import { seededRandom } from '../../../../support/random.ts';

export function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

export interface SeriesSpec {
  iterations?: number;
  /** Heap used after GC at iteration i (1-based), before noise. */
  heap?: (i: number) => number;
  external?: (i: number) => number;
  handles?: (i: number) => Record<string, number>;
  /** Standard deviation of the heap noise, in bytes. */
  noiseBytes?: number;
  seed?: number;
}

export function series(spec: SeriesSpec = {}): LeakSample[] {
  const iterations = spec.iterations ?? 40;
  const noise = gaussian(seededRandom(spec.seed ?? 1));
  const samples: LeakSample[] = [];
  for (let i = 1; i <= iterations; i++) {
    samples.push({
      iteration: i,
      heapUsedBytes: Math.round((spec.heap?.(i) ?? 600_000) + (spec.noiseBytes ?? 0) * noise()),
      externalBytes: spec.external?.(i) ?? 0,
      handles: spec.handles?.(i) ?? {},
      ms: 0.5,
      gcMs: 1,
    });
  }
  return samples;
}
