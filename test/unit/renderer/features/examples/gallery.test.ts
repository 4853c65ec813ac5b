import { describe, expect, it } from 'vitest';
import { NO_POLICY } from '../../../../../renderer/src/state/policy.ts';
import { describeExample, examplesFor } from '../../../../../renderer/src/features/examples/gallery.ts';

const builtIn = [describeExample('loop.js', '// A loop\n// Runs forever. Stop it.\nwhile (true) {}')];

describe('the examples menu', () => {
  it("shows the team's examples first, titled from their leading comment, and Isolab's unless the policy turns them off", () => {
    const team = [{ name: 'retry.js', content: '// Retry with backoff\n// How we retry. Run it.\nreturn 1' }];
    expect(examplesFor({ ...NO_POLICY, examples: { builtIn: true, team } }, builtIn)).toEqual({
      team: [{ file: 'retry.js', title: 'Retry with backoff', summary: 'How we retry.', content: team[0]!.content }],
      builtIn,
    });
    expect(examplesFor({ ...NO_POLICY, examples: { builtIn: false, team } }, builtIn).builtIn).toEqual([]);
  });

  it("shows Isolab's own examples without a policy", () => {
    expect(examplesFor(NO_POLICY, builtIn)).toEqual({ team: [], builtIn });
  });
});
