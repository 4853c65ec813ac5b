/**
 * V8 flags for every isolate this process makes; they must be set before the first one exists,
 * so main.ts imports this module first.
 * --expose-gc lets the guest capture `gc` for leak profiles (it hides the global before user code
 * runs); --js-base-64 turns on ES2026's Uint8Array base64/hex methods, which V8 13.6 still keeps
 * behind a flag: the sandbox's Buffer uses them as its native codecs, and user code gets a
 * standard API it would have in any current browser.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--expose-gc');
// The launcher bounds this process's own young generation (--max-semi-space-size, runtime.ts); a
// flag stays in force for every isolate made later, and would override the young generation that
// isolated-vm sizes from each isolate's memory limit (1-2 MB): memory-limit runs took 3x as long
// and held 32 MB more each. Back to "unset" before the first isolate exists.
setFlagsFromString('--max-semi-space-size=0');
setFlagsFromString('--js-base-64');
