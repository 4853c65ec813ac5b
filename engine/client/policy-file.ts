/**
 * Finding and reading the team policy file. The first of these that exists is the policy:
 *
 *   1. $ISOLAB_POLICY (for testing a policy, or pointing one machine at a shared file): must exist
 *   2. the system location an administrator manages:
 *        Linux    /etc/isolab/policy.json
 *        macOS    /Library/Application Support/Isolab/policy.json
 *        Windows  %ProgramData%\Isolab\policy.json
 *   3. shipped with the installer (npm run dist -- --policy FILE): <resources>/policy/policy.json
 *
 * A file that exists but is not a valid policy is an error naming the file and the problem: Isolab
 * never quietly falls back to no policy.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, posix, resolve, win32 } from 'node:path';
import { parseTeamPolicy, type ActivePolicy, type TeamPolicy } from '../common/policy.ts';

export interface PolicyLookup {
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  /** process.resourcesPath of a packaged app. */
  resourcesPath?: string;
}

export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';
}

export function systemPolicyPath(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Isolab', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Isolab/policy.json';
  return '/etc/isolab/policy.json';
}

/** Where a policy may be, in order of precedence. */
export function policyCandidates(lookup: PolicyLookup = {}): { path: string; required: boolean }[] {
  const platform = lookup.platform ?? process.platform;
  const env = lookup.env ?? process.env;
  if (env.ISOLAB_POLICY) return [{ path: resolve(env.ISOLAB_POLICY), required: true }];
  const path = platform === 'win32' ? win32 : posix;
  return [
    { path: systemPolicyPath(platform, env), required: false },
    ...(lookup.resourcesPath ? [{ path: path.join(lookup.resourcesPath, 'policy', 'policy.json'), required: false }] : []),
  ];
}

/** The policy in force, or null when there is none. Throws PolicyFileError for a file that is not a valid policy. */
export function loadTeamPolicy(lookup: PolicyLookup = {}): ActivePolicy | null {
  for (const { path, required } of policyCandidates(lookup)) {
    if (!required && !existsSync(path)) continue;
    return readPolicyFile(path);
  }
  return null;
}

export function readPolicyFile(file: string): ActivePolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyFileError(`cannot read team policy ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return { file, policy: resolvePaths(file, parseTeamPolicy(file, text)) };
  } catch (error) {
    throw new PolicyFileError((error as Error).message);
  }
}

/** Paths in a policy are relative to the policy file; `~/` is the home folder. Referenced files must exist. */
function resolvePaths(file: string, policy: TeamPolicy): TeamPolicy {
  const base = dirname(file);
  const expand = (p: string) => (p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : isAbsolute(p) ? p : resolve(base, p));
  const out: TeamPolicy = { ...policy, examples: { ...policy.examples } };
  if (policy.workspaceDir) out.workspaceDir = expand(policy.workspaceDir);
  if (policy.welcomeScript) {
    out.welcomeScript = expand(policy.welcomeScript);
    if (!/\.(js|ts|mjs)$/.test(out.welcomeScript)) throw new Error(`invalid team policy ${file}: welcomeScript: ${out.welcomeScript} is not a .js, .ts or .mjs file`);
    if (!isFile(out.welcomeScript)) throw new Error(`invalid team policy ${file}: welcomeScript: ${out.welcomeScript} does not exist`);
  }
  if (policy.examples.folder) {
    out.examples.folder = expand(policy.examples.folder);
    if (!isDirectory(out.examples.folder)) throw new Error(`invalid team policy ${file}: examples.folder: ${out.examples.folder} is not a folder`);
  }
  return out;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** The welcome script a new workspace starts with under this policy: null for none, undefined for Isolab's own. */
export function policyWelcomeScript(active: ActivePolicy | null): { name: string; content: string } | null | undefined {
  const script = active?.policy.welcomeScript;
  if (script === undefined) return undefined;
  if (script === null) return null;
  return { name: script.split(/[\\/]/).pop()!, content: readFileSync(script, 'utf8') };
}
