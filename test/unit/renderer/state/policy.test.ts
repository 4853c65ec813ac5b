import { describe, expect, it } from 'vitest';
import { SETTINGS_BOUNDS, type PolicyView } from '../../../../engine/common/api.ts';
import { boundsOf, lockOf, NO_POLICY, numberProblem } from '../../../../renderer/src/state/policy.ts';

const team: PolicyView = { ...NO_POLICY, file: '/etc/isolab/policy.json', locked: { memoryLimitMb: 'Locked by the team policy (/etc/isolab/policy.json)' }, maximums: { timeoutMs: 30_000, memoryLimitMb: 100_000 } };

describe('the settings UI under a team policy', () => {
  it("bounds a limit's input by the team's maximum where it is lower than the contract's", () => {
    expect(boundsOf('timeoutMs', team)).toEqual({ min: SETTINGS_BOUNDS.timeoutMs.min, max: 30_000, capped: true });
    expect(boundsOf('memoryLimitMb', team)).toEqual({ ...SETTINGS_BOUNDS.memoryLimitMb, capped: false });
    expect(boundsOf('cpuLimitMs', team)).toEqual({ ...SETTINGS_BOUNDS.cpuLimitMs, capped: false });
    expect(boundsOf('leakIterations', team)).toEqual({ ...SETTINGS_BOUNDS.leakIterations, capped: false });
    expect(boundsOf('timeoutMs', NO_POLICY).capped).toBe(false);
  });

  it('gives the reason a setting is locked, or null', () => {
    expect(lockOf('memoryLimitMb', team)).toBe('Locked by the team policy (/etc/isolab/policy.json)');
    expect(lockOf('timeoutMs', team)).toBeNull();
    expect(lockOf('memoryLimitMb', NO_POLICY)).toBeNull();
  });

  it('says why a typed value is not taken, naming the team policy when it set the maximum', () => {
    const bounds = boundsOf('timeoutMs', team);
    expect(numberProblem('20000', bounds)).toBeNull();
    expect(numberProblem('60000', bounds)).toBe('at most 30,000 (team policy)');
    expect(numberProblem('0', bounds)).toBe('at least 1');
    expect(numberProblem('', bounds)).toBe('enter a number');
    expect(numberProblem('', bounds, true)).toBeNull();
    expect(numberProblem('abc', bounds)).toBe('enter a number');
    expect(numberProblem('700000', boundsOf('timeoutMs', NO_POLICY))).toBe('at most 600,000');
  });
});
