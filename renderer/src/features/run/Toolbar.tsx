/** Run, Stop, Profile leaks, Call a function, limits, reuse-context, workspace archives, examples. */
import { useId, useMemo, useState } from 'react';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { Popover } from '../../ui/Popover.tsx';
import { LockIcon, LockNote } from '../../ui/Lock.tsx';
import { keyLabel, keyTooltip } from '../../ui/keys.ts';
import type { PolicyView, SettingKey } from '../../../../engine/common/api.ts';
import { boundsOf, lockOf, numberProblem, SETTING_LABELS, type Bounds } from '../../state/policy.ts';
import { EXAMPLES } from '../examples/examples.ts';
import { examplesFor, type Example } from '../examples/gallery.ts';
import { parseArgs, topLevelFunctions } from './functions.ts';
import { LiveToggle } from '../live/LiveToggle.tsx';

/** A numeric setting: bounded by the contract and the team's maximum, disabled with the reason when locked. */
function NumberField({ setting, value, bounds, unit, lock, onChange, allowEmpty }: { setting: SettingKey; value: number | null; bounds: Bounds; unit: string; lock: string | null; onChange: (v: number | null) => void; allowEmpty?: boolean }) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const noteId = useId();
  const label = SETTING_LABELS[setting];
  const problem = lock ? null : numberProblem(text, bounds, allowEmpty);
  const shown = lock ? (value === null ? '' : String(value)) : text;
  return (
    <div className={`setting${lock ? ' locked' : ''}`}>
      <label className="field row">
        <span>
          {lock && <LockIcon />} {label}
        </span>
        <span>
          <input
            type="number"
            min={bounds.min}
            max={bounds.max}
            value={shown}
            disabled={lock !== null}
            placeholder={allowEmpty ? 'none' : undefined}
            aria-label={`${label} (${unit})`}
            aria-invalid={problem !== null}
            aria-describedby={lock || problem || bounds.capped ? noteId : undefined}
            onChange={(e) => {
              setText(e.target.value);
              if (numberProblem(e.target.value, bounds, allowEmpty) !== null) return;
              onChange(e.target.value.trim() === '' ? null : Math.round(Number(e.target.value)));
            }}
          />{' '}
          <span className="muted">{unit}</span>
        </span>
      </label>
      {lock ? (
        <LockNote id={noteId} reason={lock} />
      ) : problem ? (
        <div className="field-note error" id={noteId} role="alert">
          {problem}
        </div>
      ) : bounds.capped ? (
        <div className="field-note" id={noteId}>
          up to {bounds.max.toLocaleString('en-US')} {unit} (team policy)
        </div>
      ) : null}
    </div>
  );
}

function CallForm({ close }: { close: () => void }) {
  const controller = useController();
  const active = useStore(controller.workspace.store, (s) => s.active);
  const functions = useMemo(() => (active ? topLevelFunctions(controller.workspace.text(active)) : []), [active, controller]);
  const [name, setName] = useState(functions[0] ?? '');
  const [args, setArgs] = useState('[]');
  const parsed = parseArgs(args);
  const submit = () => {
    if (!name || !parsed.ok) return;
    close();
    controller.runClickedAt = performance.now();
    void controller.run({ name, args: parsed.args as never[] });
  };
  return (
    <form
      style={{ display: 'grid', gap: 8, minWidth: 320 }}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {functions.length === 0 ? (
        <div className="muted">This script defines no top-level functions.</div>
      ) : (
        <label className="field row">
          <span>Function</span>
          <select aria-label="Function to call" value={name} onChange={(e) => setName(e.target.value)}>
            {functions.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
      )}
      <label style={{ display: 'grid', gap: 4 }}>
        <span>Arguments (JSON array)</span>
        <textarea aria-label="Arguments (JSON)" rows={4} value={args} spellCheck={false} onChange={(e) => setArgs(e.target.value)} />
      </label>
      {!parsed.ok && (
        <div role="alert" style={{ color: 'var(--error-fg)' }}>
          {parsed.message}
        </div>
      )}
      <div className="row" style={{ justifyContent: 'flex-end' }}>
        <button type="submit" className="btn primary" disabled={!name || !parsed.ok}>
          Call {name ? `${name}()` : ''}
        </button>
      </div>
    </form>
  );
}

function SettingsForm({ policy }: { policy: PolicyView }) {
  const controller = useController();
  const settings = useStore(controller.settings, (s) => s);
  const themeNote = useId();
  const themeLock = lockOf('theme', policy);
  const limit = (setting: 'timeoutMs' | 'memoryLimitMb' | 'cpuLimitMs' | 'liveTimeoutMs', unit: string) => (
    <NumberField
      key={setting}
      setting={setting}
      unit={unit}
      bounds={boundsOf(setting, policy)}
      lock={lockOf(setting, policy)}
      value={settings[setting]}
      // No CPU limit is "none", unless the team caps it: then there is always one.
      allowEmpty={setting === 'cpuLimitMs' && policy.maximums.cpuLimitMs === undefined}
      onChange={(v) => (setting === 'cpuLimitMs' ? controller.updateSettings({ cpuLimitMs: v }) : v !== null && controller.updateSettings({ [setting]: v }))}
    />
  );
  return (
    <>
      {limit('timeoutMs', 'ms')}
      {limit('memoryLimitMb', 'MB')}
      {limit('cpuLimitMs', 'ms')}
      {limit('liveTimeoutMs', 'ms')}
      <div className={`setting${themeLock ? ' locked' : ''}`}>
        <label className="field row">
          <span>
            {themeLock && <LockIcon />} Theme
          </span>
          <select aria-label="Theme" value={settings.theme} disabled={themeLock !== null} aria-describedby={themeLock ? themeNote : undefined} onChange={(e) => controller.updateSettings({ theme: e.target.value as 'system' | 'light' | 'dark' })}>
            <option value="system">Follow the OS</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        {themeLock && <LockNote id={themeNote} reason={themeLock} />}
      </div>
      {policy.file && (
        <div className="policy-note">
          Team policy: <span className="mono">{policy.file}</span>
          {policy.contact ? <div>{policy.contact}</div> : null}
        </div>
      )}
    </>
  );
}

function ExampleItems({ examples, close }: { examples: Example[]; close: () => void }) {
  const controller = useController();
  return examples.map((example) => (
    <button
      key={example.file}
      type="button"
      role="menuitem"
      aria-label={example.title}
      onClick={() => {
        close();
        void controller.workspace.create(example.file, example.content);
      }}
    >
      <span>{example.title}</span>
      <span className="hint">{example.summary}</span>
    </button>
  ));
}

function ExamplesMenu({ policy, close }: { policy: PolicyView; close: () => void }) {
  const { team, builtIn } = examplesFor(policy, EXAMPLES);
  if (team.length === 0 && builtIn.length === 0) return <div className="hint">The team policy turns the examples off.</div>;
  return (
    <>
      {team.length > 0 && (
        <div role="group" aria-label="Team examples">
          <div className="menu-heading">Team examples</div>
          <ExampleItems examples={team} close={close} />
        </div>
      )}
      {builtIn.length > 0 && (
        <div role="group" aria-label="Isolab examples">
          {team.length > 0 && <div className="menu-heading">Isolab examples</div>}
          <ExampleItems examples={builtIn} close={close} />
        </div>
      )}
    </>
  );
}

function WorkspaceMenu({ busy, close }: { busy: boolean; close: () => void }) {
  const { archive } = useController();
  const items = [
    { label: 'Export workspace…', hint: 'Every script and the settings, as one .zip file', act: () => archive.exportWorkspace() },
    { label: 'Import workspace…', hint: 'Adds the scripts of a .zip; never overwrites (taken names get -2, -3…)', act: () => archive.importWorkspace() },
  ];
  return items.map(({ label, hint, act }) => (
    <button
      key={label}
      type="button"
      role="menuitem"
      disabled={busy}
      onClick={() => {
        close();
        // At once, inside this click: a browser opens its file chooser only here.
        void act();
      }}
    >
      <span>{label}</span>
      <span className="hint">{hint}</span>
    </button>
  ));
}

export function Toolbar() {
  const controller = useController();
  const running = useStore(controller.runs, (s) => s.running.length);
  const settings = useStore(controller.settings, (s) => s);
  const policy = useStore(controller.policy, (s) => s);
  const busy = useStore(controller.archive.store, (s) => s.state.step === 'working');
  const leakRunning = useStore(controller.runs, (s) => s.current?.kind === 'leak' && s.current.running);
  const iterationsLock = lockOf('leakIterations', policy);
  const reuseLock = lockOf('reuseContext', policy);
  const limitsLocked = (['timeoutMs', 'memoryLimitMb', 'cpuLimitMs', 'theme'] as const).some((key) => lockOf(key, policy));
  const iterations = boundsOf('leakIterations', policy);
  const debugging = useStore(controller.debugger.store, (s) => s.status !== 'idle');
  const paused = useStore(controller.debugger.store, (s) => s.status === 'paused');

  const openExample = async (file: string, content: string) => {
    await controller.workspace.create(file, content);
  };

  return (
    <header className="toolbar" role="toolbar" aria-label="Run controls">
      <span className="brand">Isolab</span>
      <button
        type="button"
        className="btn primary"
        aria-label="Run"
        title={keyTooltip('run')}
        onClick={() => {
          controller.runClickedAt = performance.now();
          void controller.run();
        }}
      >
        ▶ Run <kbd>{keyLabel('run')}</kbd>
      </button>
      <button
        type="button"
        className="btn"
        aria-label={paused ? 'Continue' : 'Debug'}
        title={paused ? `Continue (${keyLabel('debug')})` : `${keyTooltip('debug')}: run with the debugger, stopping at breakpoints`}
        disabled={debugging && !paused}
        onClick={() => controller.debugOrContinue()}
      >
        {paused ? '▶ Continue' : '◉ Debug'} <kbd>{keyLabel('debug')}</kbd>
      </button>
      <button type="button" className="btn" aria-label="Profile CPU" title={`${keyTooltip('profileCpu')}: run with V8's sampling profiler`} onClick={() => void controller.run(undefined, 'profile')}>
        ◷ Profile CPU
      </button>
      {running > 0 && (
        <button type="button" className="btn danger" aria-label="Stop" title={keyTooltip('stop')} onClick={() => void controller.stop()}>
          ■ Stop <kbd>{keyLabel('stop')}</kbd>
        </button>
      )}
      <LiveToggle />
      <div className="sep" />
      <button type="button" className="btn" aria-label="Profile leaks" title={`${keyTooltip('profileLeaks')}: run ${settings.leakIterations} times with a GC between runs`} disabled={leakRunning} onClick={() => void controller.profileLeaks()}>
        ◔ Profile leaks
      </button>
      <span className={`field${iterationsLock ? ' locked' : ''}`} title={iterationsLock ?? 'Iterations of the leak profile'}>
        {iterationsLock && <LockIcon />}
        <input
          type="number"
          min={iterations.min}
          max={iterations.max}
          aria-label="Leak profile iterations"
          aria-description={iterationsLock ?? undefined}
          disabled={iterationsLock !== null}
          value={settings.leakIterations}
          onChange={(e) => {
            const n = Math.round(Number(e.target.value));
            if (n >= iterations.min && n <= iterations.max) controller.updateSettings({ leakIterations: n });
          }}
          style={{ width: 64 }}
        />
      </span>
      <Popover label="Call function" button="ƒ( ) Call function">
        {(close) => <CallForm close={close} />}
      </Popover>
      <div className="sep" />
      <Popover
        label="Limits"
        button={
          <>
            ⚙ Limits{limitsLocked && <LockIcon />}
          </>
        }
      >
        {() => <SettingsForm policy={policy} />}
      </Popover>
      <label className={`field btn${reuseLock ? ' locked' : ''}`} title={reuseLock ?? "Run in the isolate's long-lived context: faster, and globals persist between runs"}>
        <input type="checkbox" checked={settings.reuseContext} disabled={reuseLock !== null} aria-description={reuseLock ?? undefined} onChange={(e) => controller.updateSettings({ reuseContext: e.target.checked })} />
        {reuseLock && <LockIcon />}
        Reuse context
      </label>
      <div className="spacer" />
      <Popover label="Workspace" button="Workspace ▾" align="right" role="menu">
        {(close) => <WorkspaceMenu busy={busy} close={close} />}
      </Popover>
      <Popover label="Examples" button="Examples ▾" align="right" role="menu">
        {(close) => <ExamplesMenu policy={policy} close={close} />}
      </Popover>
    </header>
  );
}
