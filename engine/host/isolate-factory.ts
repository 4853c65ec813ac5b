/**
 * Makes the pool's isolates. Creating one blocks the host thread for ~1.5 ms (measured), which is
 * long enough to delay another run's interrupt, so the factory keeps one spare isolate built while
 * the pool is idle and hands it out when an isolate has to be replaced.
 *
 * Heap limits. isolated-vm hands V8 one number, its `memoryLimit`, as the old generation's maximum,
 * and ends the isolate ("disposed ... due to memory limit", our MemoryLimitError) when a full GC
 * leaves more in use than V8's heap size limit as it stood when the isolate was made. A Map, a Set
 * or a dictionary-mode object grows its one hash table by allocating a successor about twice its
 * size while the old table is still live; once the table is in old space, so is the successor, and
 * it must fit under the old generation's maximum. With the maximum equal to the limit, it no longer
 * fits as soon as the table is about a third of the limit. V8's last-resort GC then asks
 * isolated-vm's near-heap-limit callback for room (it grants 1 GB), but isolated-vm's GC epilogue
 * takes that back in the very GCs V8 runs before retrying (V8 13.6 runs them without the "collect
 * all available garbage" flag the epilogue looks for), so V8 gives up: a fatal out-of-memory
 * ("CALL_AND_RETRY_LAST"), which isolated-vm raises as "Catastrophic out-of-memory error" with
 * the isolate's thread parked for good; nothing but ending the process recovers from that.
 *
 * So the two numbers are set apart. V8's heap is sized by flags, which take precedence over the
 * constraints isolated-vm passes: old generation = the run's limit, young generation = what
 * isolated-vm would have picked for that limit. isolated-vm measures its threshold from that heap
 * (so a run ends at exactly the limit it ended at before), but is told `hardLimitMb`, three times
 * the heap, and that is the maximum it restores after granting room: enough for a table to double
 * while its predecessor is live. The next full GC then finds the live heap over the limit and
 * isolated-vm ends the isolate. (isolated-vm keeps `memoryLimit - heap size limit` as an unsigned
 * difference and only ever adds the two back together, so a memoryLimit above the heap is exact.)
 * The price: once isolated-vm has granted room once, V8's maximum stays at `hardLimitMb`, so V8
 * runs its next full GC later and a run can pass its limit by more before that GC ends it (the
 * memory-bombs integration test; measured: 7-50% more heap at 64-128 MB for arrays of objects and
 * strings, and a loop doubling `new Array(n).fill()` at 128 MB gets one doubling further).
 */
import ivm from 'isolated-vm';
import { setFlagsFromString } from 'node:v8';
import { guestSnapshot } from './guest-bundle.ts';

export interface HeapLayout {
  /** V8's old generation: the run's memory limit. */
  oldSpaceMb: number;
  /** V8's semi-space: as isolated-vm sizes the young generation for the limit. */
  semiSpaceMb: number;
  /** isolated-vm's memoryLimit: room for a hash table to double while its predecessor is live. */
  hardLimitMb: number;
}

/**
 * isolated-vm 7 asks for a young generation of 2^(min(4, limit/128) + 10) KB; V8 makes each of its
 * semi-spaces a third of that, rounded up to a power of two of at least 1 MB (checked against
 * isolated-vm's own isolates for 8 MB to 4 GB: the same heap size limit).
 */
export function heapLayout(memoryLimitMb: number): HeapLayout {
  const youngKb = 2 ** (Math.min(4, memoryLimitMb / 128) + 10);
  const semiSpaceMb = 2 ** Math.ceil(Math.log2(Math.max(1, youngKb / 3 / 1024)));
  // The heap size limit is the old generation plus three semi-spaces (two, and new large objects).
  return { oldSpaceMb: memoryLimitMb, semiSpaceMb, hardLimitMb: 3 * (memoryLimitMb + 3 * semiSpaceMb) };
}

export interface IsolateFactoryOptions {
  onCatastrophicError: (message: string) => void;
  /** True when no run is executing, so building now cannot delay anybody. */
  idle: () => boolean;
  /** How often to retry building the spare while the pool is busy, in ms. */
  retryMs?: number;
}

export class IsolateFactory {
  readonly #options: IsolateFactoryOptions;
  #spare: { isolate: ivm.Isolate; memoryLimitMb: number } | undefined;
  #wanted: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: IsolateFactoryOptions) {
    this.#options = options;
  }

  /** `inspector`: V8's inspector on (debugged and profiled runs only: see lease.ts). */
  create(memoryLimitMb: number, inspector = false): ivm.Isolate {
    // First: the snapshot is made once, by an isolate of V8's default size.
    const snapshot = guestSnapshot();
    const heap = heapLayout(memoryLimitMb);
    // V8 reads these while the isolate is made (synchronously, on this thread), then never again.
    setFlagsFromString(`--max-old-space-size=${heap.oldSpaceMb}`);
    setFlagsFromString(`--max-semi-space-size=${heap.semiSpaceMb}`);
    try {
      return new ivm.Isolate({
        memoryLimit: heap.hardLimitMb,
        onCatastrophicError: this.#options.onCatastrophicError,
        ...(inspector ? { inspector } : {}),
        ...(snapshot ? { snapshot } : {}),
      });
    } finally {
      setFlagsFromString('--max-old-space-size=0');
      setFlagsFromString('--max-semi-space-size=0');
    }
  }

  /** An isolate with this memory limit: the spare when it fits, else a new one. */
  take(memoryLimitMb: number): ivm.Isolate {
    const spare = this.#spare;
    this.#spare = undefined;
    this.#refillLater(memoryLimitMb);
    if (spare && spare.memoryLimitMb === memoryLimitMb && !spare.isolate.isDisposed) return spare.isolate;
    if (spare && !spare.isolate.isDisposed) spare.isolate.dispose();
    return this.create(memoryLimitMb);
  }

  #refillLater(memoryLimitMb: number): void {
    this.#wanted = memoryLimitMb;
    if (this.#timer || this.#closed) return;
    const attempt = () => {
      this.#timer = undefined;
      if (this.#closed || this.#spare || this.#wanted === undefined) return;
      if (!this.#options.idle()) {
        this.#timer = setTimeout(attempt, this.#options.retryMs ?? 20);
        this.#timer.unref();
        return;
      }
      this.#spare = { isolate: this.create(this.#wanted), memoryLimitMb: this.#wanted };
    };
    this.#timer = setTimeout(attempt, 0);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#spare && !this.#spare.isolate.isDisposed) this.#spare.isolate.dispose();
    this.#spare = undefined;
  }
}
