import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../../../engine/common/contract.ts';
import { countByLevel, filterLogs, isTruncationMarker, LEVELS } from '../../../../../renderer/src/features/console/filter.ts';

const logs: LogEntry[] = [
  { level: 'log', text: 'Hello world', timeMs: 1, args: ['Hello world'] },
  { level: 'warn', text: 'careful', timeMs: 2, args: ['careful'] },
  { level: 'error', text: 'boom HELLO', timeMs: 3, args: ['boom HELLO'] },
  { level: 'log', text: '... 10 more lines', timeMs: 4 },
];

describe('console filter', () => {
  it('filters by level and case-insensitive text, returning the same array when nothing is filtered', () => {
    expect(filterLogs(logs, new Set(LEVELS), '')).toBe(logs);
    expect(filterLogs(logs, new Set(['warn', 'error']), '').map((l) => l.text)).toEqual(['careful', 'boom HELLO']);
    expect(filterLogs(logs, new Set(LEVELS), 'hello').map((l) => l.level)).toEqual(['log', 'error']);
  });

  it('counts levels and spots the truncation marker', () => {
    expect(countByLevel(logs)).toEqual({ log: 2, info: 0, warn: 1, error: 1, debug: 0 });
    expect(isTruncationMarker(logs[3]!, true)).toBe(true);
    expect(isTruncationMarker(logs[3]!, false)).toBe(false);
    expect(isTruncationMarker(logs[0]!, true)).toBe(false);
  });
});
