/**
 * Bytes and durations for people, the same in the CLI, the renderer and the leak verdicts: one
 * rounding rule each, so a figure never reads differently in two places.
 */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1 KB = 1024 B; whole bytes; one decimal below 10 of a unit ("1.1 KB", "12 KB", "512 B"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  let text = unit === 0 ? String(Math.round(value)) : value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  // 1023.7 KB must not print as "1024 KB".
  if (text === '1024' && unit < BYTE_UNITS.length - 1) {
    unit++;
    text = '1.0';
  }
  return `${text === '0' ? '' : sign}${text} ${BYTE_UNITS[unit]}`;
}

/** Milliseconds: two decimals below 1 ms, one below 100 ms, whole up to 10 s, then seconds ("12.5 s"). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  // Thresholds sit where rounding would carry into the next format (99.96 → "100.0 ms").
  if (Math.abs(ms) < 0.995) return `${ms.toFixed(2)} ms`;
  if (Math.abs(ms) < 99.95) return `${ms.toFixed(1)} ms`;
  if (Math.abs(ms) < 9_999.5) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
