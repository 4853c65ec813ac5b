/** A saved setting is always a valid request: the settings' ranges are the contract's. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_BOUNDS, Settings } from '../../../../engine/common/api.ts';
import { RunRequest } from '../../../../engine/common/contract.ts';
import { LeakRequest } from '../../../../engine/common/leak.ts';

/** The live timeout is sent as a live run's timeoutMs. */
const requestField = (field: keyof typeof SETTINGS_BOUNDS) => (field === 'liveTimeoutMs' ? 'timeoutMs' : field);
const requestAccepts = (field: keyof typeof SETTINGS_BOUNDS, value: number) =>
  field === 'leakIterations' ? LeakRequest.safeParse({ code: '', iterations: value }).success : RunRequest.safeParse({ code: '', [requestField(field)]: value }).success;
const settingsAccept = (field: keyof typeof SETTINGS_BOUNDS, value: number) => Settings.safeParse({ ...DEFAULT_SETTINGS, [field]: value }).success;

describe('settings bounds', () => {
  for (const [field, { min, max }] of Object.entries(SETTINGS_BOUNDS) as [keyof typeof SETTINGS_BOUNDS, { min: number; max: number }][]) {
    it(`${field}: ${min}–${max}, the range the contract accepts`, () => {
      for (const value of [min, max]) {
        expect(settingsAccept(field, value), `${value}`).toBe(true);
        expect(requestAccepts(field, value), `${value}`).toBe(true);
      }
      for (const value of [min - 1, max + 1]) {
        expect(settingsAccept(field, value), `${value}`).toBe(false);
        expect(requestAccepts(field, value), `${value}`).toBe(false);
      }
    });
  }

  it('defaults lie inside them', () => {
    expect(Settings.safeParse(DEFAULT_SETTINGS).success).toBe(true);
  });
});
