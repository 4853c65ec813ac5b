/**
 * The team policy: a JSON file an administrator ships with the installer or places in a system
 * location (engine/client/policy-file.ts finds and reads it). It bounds what users may ask of the
 * engine, fixes settings they may not change, decides whether web mode may run and where, and
 * chooses the examples, welcome script and default workspace folder.
 *
 * Everything here is pure: the schema, and the functions every front end applies through
 * EngineClient (requests) and SettingsStore (settings).
 */
import * as z from 'zod';
import { MAX_MEMORY_LIMIT_MB, MAX_TIMEOUT_MS, MIN_MEMORY_LIMIT_MB } from './contract.ts';
import { DEFAULT_SETTINGS, SettingKey, Settings, type PolicyView, type ScriptText, type Settings as SettingsValues } from './api.ts';

/** The error type of a run the policy refused (RunResult.error.type). */
export const POLICY_ERROR = 'PolicyError';

const ms = z.number().int().min(1).max(MAX_TIMEOUT_MS);
const mb = z.number().int().min(MIN_MEMORY_LIMIT_MB).max(MAX_MEMORY_LIMIT_MB);

function limit<T extends z.ZodNumber>(value: T) {
  return z
    .object({
      /** Used when a request does not say. */
      default: value.optional(),
      /** The most a request may ask for. */
      max: value.optional(),
    })
    .strict()
    .refine((l) => l.default === undefined || l.max === undefined || l.default <= l.max, { message: 'default is larger than max' });
}

export const LIMIT_KEYS = ['timeoutMs', 'memoryLimitMb', 'cpuLimitMs'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

export const SETTING_KEYS = SettingKey.options;

export const TeamPolicy = z
  .object({
    /** Format version of this file. */
    version: z.literal(1),
    /** Shown with every refusal or clamp, e.g. "Ask #dev-tools for higher limits". */
    contact: z.string().max(500).optional(),
    limits: z
      .object({
        /** Wall-clock limit of a run (of each leak iteration), in ms. */
        timeoutMs: limit(ms).optional(),
        /** Isolate heap limit, in MiB. */
        memoryLimitMb: limit(mb).optional(),
        /** CPU time of a run, in ms. With a max, a request without a CPU limit gets the default or the max. */
        cpuLimitMs: limit(ms).optional(),
      })
      .strict()
      .default({}),
    /** What happens to a request over a maximum: lowered to the maximum (with a note), or refused. */
    overLimit: z.enum(['clamp', 'refuse']).default('clamp'),
    /** Setting values for everyone; the ones named in `locked` cannot be changed by users. */
    settings: Settings.partial().strict().default({}),
    /** Settings users may not change (they keep the value above, or the default). */
    locked: z.array(SettingKey).default([]),
    webMode: z
      .object({
        /** Whether `isolab serve` may run at all. */
        allowed: z.boolean().default(true),
        /** Addresses `isolab serve --host` may bind; "loopback" means any loopback address. */
        interfaces: z.array(z.string().min(1).max(255)).min(1).default(['loopback']),
      })
      .strict()
      .default({ allowed: true, interfaces: ['loopback'] }),
    examples: z
      .object({
        /** Show the examples that come with Isolab. */
        builtIn: z.boolean().default(true),
        /** A folder of the team's own example scripts (relative to the policy file, or absolute). */
        folder: z.string().min(1).optional(),
      })
      .strict()
      .default({ builtIn: true }),
    /** The script a new workspace starts with: a file (relative to the policy file), or null for none. */
    welcomeScript: z.string().min(1).nullable().optional(),
    /** Default workspace folder; `~/` is the user's home folder. */
    workspaceDir: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const key of LIMIT_KEYS) {
      const max = p.limits[key]?.max;
      const value = p.settings[key];
      if (max !== undefined && typeof value === 'number' && value > max) {
        ctx.addIssue({ code: 'custom', path: ['settings', key], message: `${value} is larger than limits.${key}.max (${max})` });
      }
    }
  });
export type TeamPolicy = z.output<typeof TeamPolicy>;

/** A policy together with the file it came from, which every message names. */
export interface ActivePolicy {
  file: string;
  policy: TeamPolicy;
}

/** Parses a policy's JSON text; throws one Error naming the file and every problem. */
export function parseTeamPolicy(file: string, text: string): TeamPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid team policy ${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = TeamPolicy.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new Error(`invalid team policy ${file}: ${problems}`);
  }
  return parsed.data;
}

function by(active: ActivePolicy): string {
  return `the team policy (${active.file})${active.policy.contact ? `; ${active.policy.contact}` : ''}`;
}

const UNIT: Record<LimitKey, string> = { timeoutMs: 'ms', memoryLimitMb: 'MB', cpuLimitMs: 'ms' };
const LABEL: Record<LimitKey, string> = { timeoutMs: 'time limit', memoryLimitMb: 'memory limit', cpuLimitMs: 'CPU limit' };

type Limits = Partial<Record<LimitKey, number>>;
export type Gate<T> = { ok: true; request: T; notes: string[] } | { ok: false; message: string };

/**
 * A request's limits under the policy: locked settings win, then the request's own values, then
 * the policy's defaults; anything over a maximum is lowered (with a note) or refused.
 */
export function gateLimits<T extends Limits>(request: T, active: ActivePolicy | null | undefined): Gate<T> {
  if (!active) return { ok: true, request, notes: [] };
  const { policy } = active;
  const out: Limits = { ...request };
  const notes: string[] = [];
  for (const key of LIMIT_KEYS) {
    const { default: fallback, max } = policy.limits[key] ?? {};
    if (policy.locked.includes(key)) {
      const held = lockedSetting(policy, key) ?? undefined;
      if (out[key] !== undefined && out[key] !== held) notes.push(`${LABEL[key]} held at ${held ?? 'none'}${held === undefined ? '' : ` ${UNIT[key]}`} by ${by(active)} (asked: ${out[key]} ${UNIT[key]})`);
      if (held === undefined) delete out[key];
      else out[key] = held;
      continue;
    }
    out[key] ??= fallback ?? (key === 'cpuLimitMs' ? max : undefined);
    const asked = out[key];
    // Anything but a number is left for the request schema to refuse.
    if (max === undefined || typeof asked !== 'number' || asked <= max) continue;
    if (policy.overLimit === 'refuse') {
      return { ok: false, message: `Refused by ${by(active)}: a ${LABEL[key]} of ${asked} ${UNIT[key]} is over the team's maximum of ${max} ${UNIT[key]}` };
    }
    out[key] = max;
    notes.push(`${LABEL[key]} lowered from ${asked} to ${max} ${UNIT[key]}, the maximum set by ${by(active)}`);
  }
  return { ok: true, request: out as T, notes };
}

/**
 * The value a locked setting is held at: the policy's, else the policy's default limit, else
 * Isolab's default; a limit never above the policy's maximum.
 */
function lockedSetting<K extends keyof SettingsValues>(policy: TeamPolicy, key: K): SettingsValues[K] {
  const isLimit = (LIMIT_KEYS as readonly string[]).includes(key);
  const limits = isLimit ? policy.limits[key as LimitKey] : undefined;
  const value = policy.settings[key] ?? limits?.default ?? DEFAULT_SETTINGS[key];
  const max = limits?.max;
  if (max !== undefined && (value === null || (value as number) > max)) return max as SettingsValues[K];
  return value as SettingsValues[K];
}

/** Settings as a user of this policy starts with: Isolab's defaults, then the policy's values and default limits. */
export function policyDefaultSettings(active: ActivePolicy | null | undefined): SettingsValues {
  if (!active) return { ...DEFAULT_SETTINGS };
  const out: SettingsValues = { ...DEFAULT_SETTINGS };
  for (const key of LIMIT_KEYS) {
    const fallback = active.policy.limits[key]?.default;
    if (fallback !== undefined) out[key] = fallback;
  }
  return { ...out, ...active.policy.settings };
}

/** Each locked setting with the reason to show next to it. */
export function lockedSettings(active: ActivePolicy | null | undefined): Partial<Record<keyof SettingsValues, string>> {
  const out: Partial<Record<keyof SettingsValues, string>> = {};
  for (const key of active?.policy.locked ?? []) out[key] = `Locked by ${by(active!)}`;
  return out;
}

/**
 * The policy as the IDE shows it. `files` is what engine/app read of the files the policy names:
 * the team's examples, and its welcome script (undefined when the policy names none).
 */
export function policyView(active: ActivePolicy | null | undefined, files: { team: ScriptText[]; welcome?: ScriptText | null } = { team: [] }): PolicyView {
  if (!active) return { file: null, contact: null, locked: {}, maximums: {}, examples: { builtIn: true, team: [] } };
  const maximums: PolicyView['maximums'] = {};
  for (const key of LIMIT_KEYS) {
    const max = active.policy.limits[key]?.max;
    if (max !== undefined) maximums[key] = max;
  }
  return {
    file: active.file,
    contact: active.policy.contact ?? null,
    locked: lockedSettings(active),
    maximums,
    examples: { builtIn: active.policy.examples.builtIn, team: files.team },
    ...(files.welcome === undefined ? {} : { welcome: files.welcome }),
  };
}

/** A user's stored settings under the policy: locked ones held, limits brought under the maximums. */
export function effectiveSettings(user: SettingsValues, active: ActivePolicy | null | undefined): SettingsValues {
  if (!active) return user;
  const out: Record<string, unknown> = { ...user };
  for (const key of active.policy.locked) out[key] = lockedSetting(active.policy, key);
  for (const key of LIMIT_KEYS) {
    const { default: fallback, max } = active.policy.limits[key] ?? {};
    const value = out[key] as number | null;
    if (max !== undefined && (value === null || value > max)) out[key] = value === null ? (fallback ?? max) : max;
  }
  return out as SettingsValues;
}

/** Why a settings change is not allowed, or null when it is. */
export function checkSettingsChange(patch: Partial<SettingsValues>, current: SettingsValues, active: ActivePolicy | null | undefined): string | null {
  if (!active) return null;
  for (const [key, value] of Object.entries(patch) as [keyof SettingsValues, unknown][]) {
    if (active.policy.locked.includes(key) && value !== current[key]) return `${key} is locked by ${by(active)}`;
    if ((LIMIT_KEYS as readonly string[]).includes(key)) {
      const max = active.policy.limits[key as LimitKey]?.max;
      if (max !== undefined && (value === null || (typeof value === 'number' && value > max))) {
        return `${key} ${value === null ? 'cannot be unlimited' : `${value} is over the maximum of ${max}`} set by ${by(active)}`;
      }
    }
  }
  return null;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i;

/** Why `isolab serve --host HOST` may not run, or null when it may. */
export function webModeRefusal(host: string, active: ActivePolicy | null | undefined): string | null {
  if (!active) return null;
  const { allowed, interfaces } = active.policy.webMode;
  if (!allowed) return `web mode is turned off by ${by(active)}`;
  const ok = interfaces.some((i) => i === host || (i === 'loopback' && LOOPBACK.test(host)));
  return ok ? null : `${by(active)} allows web mode only on ${interfaces.join(', ')}, not on ${host}`;
}
