/**
 * Every leak fixture gets the right verdict through the real engine at 40 iterations: the
 * regression test for the verdict (engine/host/leak/verdict.ts) against real V8 heap figures.
 * A leaking fixture's explanation (taken because the verdict is `leak`) names its culprit in the
 * top group; a clean fixture is never called a leak on any prefix of its samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';
import { computeVerdict } from '../../engine/host/leak/verdict.ts';
import { describeRetainerPath } from '../../engine/common/leak-words.ts';
import { loadLeakFixtures, namesCulprit } from '../fixtures/leaks/catalog.ts';

const fixtures = loadLeakFixtures();

describe('leak fixtures through the engine', () => {
  let engine: EngineClient;
  beforeAll(async () => {
    engine = await EngineClient.start();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('has both leaking and clean fixtures', () => {
    expect(fixtures.filter((f) => f.expected === 'leak').length).toBeGreaterThanOrEqual(6);
    expect(fixtures.filter((f) => f.expected === 'stable').length).toBeGreaterThanOrEqual(5);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    '%s',
    async (_name, fixture) => {
      const report = await engine.leak({ code: fixture.code, filename: `${fixture.name}.js`, iterations: 40, timeoutMs: 60_000 });
      const context = `${fixture.name}: ${report.verdict} (${report.confidence}), ${Math.round(report.slopeBytesPerIteration)} B/run; ${report.reasons.join(' | ')}`;
      expect(report.stoppedBy, context).toBeUndefined();
      expect(report.completed).toBe(40);
      expect(report.verdict, context).toBe(fixture.expected);
      if (fixture.expected === 'leak' && fixture.bytesPerIteration !== undefined) {
        // The fit should land near the designed growth; engine-side extras (Map tables, array
        // slots, typed-array objects) add up to ≈ 30% for the smallest fixtures.
        expect(report.slopeBytesPerIteration, context).toBeGreaterThan(fixture.bytesPerIteration * 0.8);
        expect(report.slopeBytesPerIteration, context).toBeLessThan(fixture.bytesPerIteration * 1.4);
      }
      for (const [kind, perRun] of Object.entries(fixture.handlesPerIteration)) {
        expect(report.handleSlopes[kind], context).toBeCloseTo(perRun, 1);
      }
      if (fixture.expected === 'stable') {
        expect(Object.values(report.handleSlopes).every((slope) => slope <= 0), context).toBe(true);
        for (let k = 5; k <= report.samples.length; k++) expect(computeVerdict(report.samples.slice(0, k)).verdict, `${context}; k = ${k}`).not.toBe('leak');
        expect(report.explanation, context).toBeUndefined();
      } else {
        const explanation = report.explanation;
        expect(explanation?.incomplete, context).toBeUndefined();
        const top = explanation?.groups[0];
        const said = `${context}; top group ${top?.kind} ${top?.name}: ${describeRetainerPath(top?.retainerPath ?? [])}`;
        expect(namesCulprit(fixture.culprit!, top), said).toBe(true);
        if (fixture.bytesPerIteration !== undefined && fixture.bytesPerIteration >= 1024) {
          expect(top!.bytesPerIteration, said).toBeGreaterThan(fixture.bytesPerIteration * 0.8);
          expect(top!.countPerIteration, said).toBeGreaterThanOrEqual(1);
        }
      }
    },
    120_000,
  );
});
