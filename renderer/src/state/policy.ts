/**
 * The team policy as the settings UI needs it: which settings are locked and why, and how far a
 * limit's input may go. The policy itself comes from the backend (`policy.get`); the rules and
 * the wording of the reasons live in engine/common/policy.ts.
 */
import { SETTINGS_BOUNDS, type PolicyView, type SettingKey } from '../../../engine/common/api.ts';
import { policyView } from '../../../engine/common/policy.ts';

/** What the IDE assumes until the backend answers, and without a policy. */
export const NO_POLICY: PolicyView = policyView(null);

/** What each setting is called on screen. */
export const SETTING_LABELS: Record<SettingKey, string> = {
  timeoutMs: 'Timeout',
  memoryLimitMb: 'Memory limit',
  cpuLimitMs: 'CPU limit',
  liveTimeoutMs: 'Live timeout',
  reuseContext: 'Reuse context',
  leakIterations: 'Leak profile iterations',
  theme: 'Theme',
};

export interface Bounds {
  min: number;
  max: number;
  /** The team policy lowered the maximum. */
  capped: boolean;
}

/** A numeric setting's range: the contract's, with the maximum lowered to the team's where it is lower. */
export function boundsOf(key: keyof typeof SETTINGS_BOUNDS, policy: PolicyView): Bounds {
  const { min, max } = SETTINGS_BOUNDS[key];
  // A live run is a run: the team's timeout maximum caps the live timeout too.
  const teamMax = key === 'leakIterations' ? undefined : policy.maximums[key === 'liveTimeoutMs' ? 'timeoutMs' : key];
  if (teamMax === undefined || teamMax >= max) return { min, max, capped: false };
  return { min, max: Math.max(min, teamMax), capped: true };
}

/** Why a setting cannot be changed, or null when it can. */
export function lockOf(key: SettingKey, policy: PolicyView): string | null {
  return policy.locked[key] ?? null;
}

/** Why a typed value is not taken, or null when it is (an empty field means "none" where allowed). */
export function numberProblem(text: string, bounds: Bounds, allowEmpty = false): string | null {
  if (text.trim() === '') return allowEmpty ? null : 'enter a number';
  const n = Number(text);
  if (!Number.isFinite(n)) return 'enter a number';
  if (Math.round(n) < bounds.min) return `at least ${bounds.min.toLocaleString('en-US')}`;
  if (Math.round(n) > bounds.max) return `at most ${bounds.max.toLocaleString('en-US')}${bounds.capped ? ' (team policy)' : ''}`;
  return null;
}
