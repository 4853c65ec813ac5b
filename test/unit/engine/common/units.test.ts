import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../../../engine/common/units.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1126, '1.1 KB'],
    [10_240, '10 KB'],
    [102_400, '100 KB'],
    [1023.8 * 1024, '1.0 MB'],
    [10 * 1024 * 1024, '10 MB'],
    [-2048, '-2.0 KB'],
    [-0.3, '0 B'],
    [3 * 1024 ** 3, '3.0 GB'],
    [1023.96 * 1024 ** 3, '1.0 TB'],
    [128 * 1024 * 1024, '128 MB'],
    [12_345, '12 KB'],
    [Number.NaN, 'NaN B'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0.00 ms'],
    [0.123, '0.12 ms'],
    [0.996, '1.0 ms'],
    [1.234, '1.2 ms'],
    [99.94, '99.9 ms'],
    [99.96, '100 ms'],
    [812.4, '812 ms'],
    [9_999.4, '9999 ms'],
    [9_999.6, '10.0 s'],
    [61_234, '61.2 s'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
