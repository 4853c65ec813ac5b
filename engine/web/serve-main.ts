/** Direct entry for `isolab serve` (tests and scripts/start.mjs), without going through the CLI. */
import { runServe } from './serve-command.ts';

process.exitCode = await runServe(process.argv.slice(2));
