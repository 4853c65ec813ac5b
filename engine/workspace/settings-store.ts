/**
 * User settings as a JSON file, validated with the contract's Settings schema. A damaged or
 * hand-edited file never stops the app: each field that does not validate falls back to its
 * default, and the next save writes a clean file (atomically, like scripts).
 *
 * Under a team policy, defaults come from the policy, locked settings keep the policy's value
 * (a change is refused with ForbiddenError naming the policy), and limits stay under its maximums.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Settings as SettingsType } from '../common/api.ts';
import { DEFAULT_SETTINGS, Settings } from '../common/api.ts';
import { validationMessage } from '../common/validation.ts';
import { checkSettingsChange, effectiveSettings, policyDefaultSettings, type ActivePolicy } from '../common/policy.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { WorkspaceError, hasCode } from './errors.ts';

export class SettingsStore {
  readonly path: string;
  private current: SettingsType | null = null;
  /** Serialises read-modify-write cycles so two quick updates cannot lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  /** The team policy this store enforces: the one in force for every front end built on it. */
  readonly policy: ActivePolicy | null;

  constructor(path: string, policy: ActivePolicy | null = null) {
    this.path = path;
    this.policy = policy;
  }

  async get(): Promise<SettingsType> {
    this.current ??= await this.load();
    return effectiveSettings({ ...this.current }, this.policy);
  }

  /** Merges a partial update, validates the whole, saves, and returns the new settings. */
  update(patch: Partial<SettingsType>): Promise<SettingsType> {
    const next = this.queue.then(async () => {
      const refusal = checkSettingsChange(patch, await this.get(), this.policy);
      if (refusal) throw new WorkspaceError('ForbiddenError', refusal);
      const merged = Settings.safeParse({ ...(await this.get()), ...patch });
      if (!merged.success) {
        throw new WorkspaceError('InvalidRequestError', `invalid settings: ${validationMessage(merged.error, { whole: 'settings' })}`);
      }
      await mkdir(dirname(this.path), { recursive: true });
      await writeFileAtomic(this.path, `${JSON.stringify(merged.data, null, 2)}\n`);
      this.current = merged.data;
      return effectiveSettings({ ...merged.data }, this.policy);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<SettingsType> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.path, 'utf8'));
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) process.emitWarning(`Isolab: ignoring unreadable settings file ${this.path}: ${String(error)}`);
      return policyDefaultSettings(this.policy);
    }
    return salvageSettings(raw, policyDefaultSettings(this.policy));
  }
}

/** Keeps every field that validates on its own; the rest take their defaults. */
export function salvageSettings(raw: unknown, defaults: SettingsType = DEFAULT_SETTINGS): SettingsType {
  const whole = Settings.safeParse(raw);
  if (whole.success) return whole.data;
  const out: Record<string, unknown> = { ...defaults };
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, field] of Object.entries(Settings.shape)) {
      const value = (raw as Record<string, unknown>)[key];
      if (value !== undefined && field.safeParse(value).success) out[key] = value;
    }
  }
  return Settings.parse(out);
}
