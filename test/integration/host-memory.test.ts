/**
 * The engine host's memory under load (issue 10, item 5), through a real host process. The soak
 * (npm run bench:soak) found two things that grew without a bound of ours: the host's own young
 * generation, which V8 let grow to 128 MB under console floods, and glibc's per-thread malloc
 * arenas. Both are bounded where the host is started (engine/client/runtime.ts).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client.ts';

const MiB = 1024 * 1024;
const FLOOD = "for (let i = 0; i < 20000; i++) console.log('line', i); return 'flood'";

let engine: EngineClient | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('engine host memory', () => {
  it("keeps the host's own heap bounded through console floods (its young generation grew to 128 MB)", async () => {
    // The heap of one host is measured, so it must not be replaced: a host starved of CPU by a
    // loaded machine can go quiet for more than the default 5 s of heartbeat during these floods.
    engine = await EngineClient.start({ host: { poolSize: 2 }, policy: null, heartbeatTimeoutMs: 60_000 });
    let next = 0;
    // Measured without the bound: 163-176 MiB of heap (new space 128 MB) after these 24 runs; with
    // it 63-118 MiB, depending on when the host last collected its old generation. A generous
    // deadline too: this is about memory, and 6 floods on 2 isolates are slow on a loaded machine.
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next++ < 24) {
          const result = await engine!.run({ code: FLOOD, timeoutMs: 60_000 });
          expect(result.ok ? result.value : result.error).toBe('flood');
          expect(result.logs).toHaveLength(20_000);
        }
      }),
    );
    const { pool, interrupts } = await engine.status();
    expect(interrupts.hostRestarts).toBe(0);
    expect(pool?.hostHeapBytes).toBeGreaterThan(0);
    expect(pool!.hostHeapBytes).toBeLessThan(140 * MiB);
  }, 120_000);

  it.runIf(process.platform === 'linux')('starts the host with two malloc arenas, unless the environment says otherwise', async () => {
    const arenasOf = async (): Promise<string | undefined> => {
      engine = await EngineClient.start({ host: { poolSize: 1 }, policy: null });
      const environ = readFileSync(`/proc/${engine.hostPid}/environ`, 'utf8').split('\0');
      await engine.close();
      engine = undefined;
      return environ.find((entry) => entry.startsWith('MALLOC_ARENA_MAX='));
    };
    const saved = process.env.MALLOC_ARENA_MAX;
    try {
      delete process.env.MALLOC_ARENA_MAX;
      expect(await arenasOf()).toBe('MALLOC_ARENA_MAX=2');
      process.env.MALLOC_ARENA_MAX = '4';
      expect(await arenasOf()).toBe('MALLOC_ARENA_MAX=4');
    } finally {
      if (saved === undefined) delete process.env.MALLOC_ARENA_MAX;
      else process.env.MALLOC_ARENA_MAX = saved;
    }
  }, 60_000);
});
