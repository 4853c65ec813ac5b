import { describe, expect, it } from 'vitest';
import { LITERAL_CASES, conformanceCases } from './cases.ts';
import { ALWAYS_HOST, NEVER_HOST, evaluate, hostEnv, makeSandbox } from './sandbox.ts';

const cases = conformanceCases();

describe('guest Buffer conformance (differential against host Node)', () => {
  it('has a meaningful number of cases', () => {
    expect(cases.length).toBeGreaterThan(1500);
  });

  for (const [label, thresholds] of [
    ['default thresholds', undefined],
    ['in-isolate codecs only', NEVER_HOST],
    ['host codecs for everything', ALWAYS_HOST],
  ] as const) {
    it(`matches host Node on every case (${label})`, () => {
      const sandbox = makeSandbox({ thresholds });
      const mismatches: string[] = [];
      for (const expr of cases) {
        const want = evaluate(hostEnv, expr);
        const got = evaluate(sandbox, expr);
        if (got !== want) mismatches.push(`${expr}\n    host:    ${want}\n    sandbox: ${got}`);
      }
      expect(mismatches.slice(0, 30).join('\n'), `${mismatches.length} of ${cases.length} differ`).toBe('');
    });
  }

  it('matches the values pinned from Node documentation', () => {
    const sandbox = makeSandbox();
    for (const [expr, want] of LITERAL_CASES) {
      expect(evaluate(sandbox, expr), expr).toBe(want);
      expect(evaluate(hostEnv, expr), `host: ${expr}`).toBe(want);
    }
  });
});
