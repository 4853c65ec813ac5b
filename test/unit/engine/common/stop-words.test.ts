import { describe, expect, it } from 'vitest';
import { stopSentence, waitSentence } from '../../../../engine/common/stop-words.ts';

describe('stop receipts in words', () => {
  it('says where a busy run was and for how long', () => {
    expect(stopSentence({ line: 3, column: 9, stopped: { state: 'busy', cpuMs: 9_990, wallMs: 10_000 } })).toBe('stopped at line 3, column 9: busy for 10.0 s');
    expect(stopSentence({ line: 2, stopped: { state: 'busy', cpuMs: 50, wallMs: 52 } })).toBe('stopped at line 2: busy for 52.0 ms');
  });
  it('says a waiting run waited, with its CPU time', () => {
    expect(stopSentence({ stopped: { state: 'waiting', cpuMs: 0.4, wallMs: 100 } })).toBe('stopped: waiting for 100 ms (CPU 0.40 ms)');
  });
  it('has nothing to say without a receipt', () => {
    expect(stopSentence({ line: 1 })).toBeUndefined();
  });
  it('names each wait and where it was made', () => {
    expect(waitSentence({ kind: 'timer', delayMs: 5, line: 2, column: 24 })).toBe('a timer (5.0 ms) set at line 2, column 24');
    expect(waitSentence({ kind: 'interval', delayMs: 1000 })).toBe('an interval (1000 ms)');
    expect(waitSentence({ kind: 'promise' })).toBe('a promise');
    expect(waitSentence({ kind: 'promise', line: 4, column: 7 })).toBe('a promise created at line 4, column 7');
  });
});
