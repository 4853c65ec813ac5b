/**
 * V8 flags for every isolate this process makes; they must be set before the first one exists,
 * so main.ts imports this module first.
 * --expose-gc lets the guest capture `gc` for leak profiles (it hides the global before user code
 * runs); --js-base-64 turns on ES2026's Uint8Array base64/hex methods, which V8 13.6 still keeps
 * behind a flag: the sandbox's Buffer uses them as its native codecs, and user code gets a
 * standard API it would have in any current browser.
 * --no-turboshaft-loop-unrolling: with it on, TurboFan can compile a loop whose body builds an
 * array of constant length (`for (;;) a.push(new Array(1000).fill(1.5))`; measured: 17 to 4999
 * elements do it, 16 or fewer and 5001 or more do not) into code with no interrupt check at all:
 * the array's element-initialisation loop is a short counted loop, the loop-unrolling phase drops
 * its stack check, and that "skip the next stack check" leaks to the enclosing loop's back edge.
 * Nothing that works through interrupts reaches such a loop: not isolated-vm's timeout ("Script
 * failed to terminate"), not Isolate.dispose(), not V8's own GC requests (so no full GC runs and
 * the memory limit is never checked while the heap grows past it). Reproduced in plain Node 24
 * without isolated-vm; this flag alone fixes it. It turns off only that phase (TurboFan still
 * optimises the code); on ten CPU-bound loop shapes, paired runs with and without it differed by
 * no more than the noise between repeated runs.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--expose-gc');
// The launcher bounds this process's own young generation (--max-semi-space-size, runtime.ts); a
// flag stays in force for every isolate made later, and would override the young generation that
// isolated-vm sizes from each isolate's memory limit (1-2 MB): memory-limit runs took 3x as long
// and held 32 MB more each. Back to "unset" before the first isolate exists.
setFlagsFromString('--max-semi-space-size=0');
setFlagsFromString('--js-base-64');
setFlagsFromString('--no-turboshaft-loop-unrolling');
