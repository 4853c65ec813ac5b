/** Tabs over the workspace's scripts: switch, new, open, rename (double-click or F2), close, delete. */
import { useEffect, useRef, useState } from 'react';
import { ScriptName } from '../../../../engine/common/api.ts';
import { validationMessage } from '../../../../engine/common/validation.ts';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { Popover } from '../../ui/Popover.tsx';

function RenameInput({ name, onDone }: { name: string; onDone: (to: string | null) => void }) {
  const [value, setValue] = useState(name);
  const input = useRef<HTMLInputElement>(null);
  const valid = ScriptName.safeParse(value);
  useEffect(() => {
    const el = input.current!;
    el.focus();
    el.setSelectionRange(0, name.lastIndexOf('.') > 0 ? name.lastIndexOf('.') : name.length);
  }, [name]);
  return (
    <input
      ref={input}
      type="text"
      aria-label={`New name for ${name}`}
      aria-invalid={!valid.success}
      title={valid.success ? '' : validationMessage(valid.error)}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && valid.success) onDone(value);
        if (e.key === 'Escape') onDone(null);
      }}
      onBlur={() => onDone(valid.success ? value : null)}
    />
  );
}

export function TabBar() {
  const { workspace } = useController();
  const open = useStore(workspace.store, (s) => s.open);
  const active = useStore(workspace.store, (s) => s.active);
  const dirty = useStore(workspace.store, (s) => s.dirty);
  const saving = useStore(workspace.store, (s) => s.saving);
  const scripts = useStore(workspace.store, (s) => s.scripts);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = (work: Promise<unknown>) => work.then(() => setError(null)).catch((e: Error) => setError(e.message));

  const finishRename = (from: string, to: string | null) => {
    setRenaming(null);
    if (to && to !== from) void act(workspace.rename(from, to));
  };

  const newScript = async (ext: '.js' | '.ts') => {
    const name = await workspace.create(`untitled${ext}`, '');
    setRenaming(name);
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-label="Scripts" style={{ display: 'flex' }}>
        {open.map((name) => {
          const selected = name === active;
          const isDirty = dirty.has(name);
          return (
            <div
              key={name}
              className="tab"
              role="tab"
              aria-selected={selected}
              aria-label={name}
              data-dirty={isDirty}
              tabIndex={selected ? 0 : -1}
              onClick={() => workspace.activate(name)}
              onDoubleClick={() => setRenaming(name)}
              onKeyDown={(e) => {
                if (e.key === 'F2') setRenaming(name);
              }}
              onAuxClick={(e) => {
                if (e.button === 1) void act(workspace.close(name));
              }}
            >
              {renaming === name ? (
                <RenameInput name={name} onDone={(to) => finishRename(name, to)} />
              ) : (
                <span className="tab-label" title={isDirty ? `${name} (unsaved changes, saving shortly)` : name}>
                  {name}
                </span>
              )}
              {isDirty || saving.has(name) ? <span className="dirty-dot" aria-label="unsaved changes" role="img" /> : null}
              <button
                type="button"
                className="close"
                aria-label={`Close ${name}`}
                title="Close"
                onClick={(e) => {
                  e.stopPropagation();
                  void act(workspace.close(name));
                }}
              >
                ×
              </button>
            </div>
          );
        })}
      </div>
      <div className="tab-actions">
        <Popover label="New script" button="+" className="btn icon" role="menu">
          {(close) => (
            <>
              <button type="button" role="menuitem" onClick={() => (close(), void act(newScript('.js')))}>
                New JavaScript script
              </button>
              <button type="button" role="menuitem" onClick={() => (close(), void act(newScript('.ts')))}>
                New TypeScript script
              </button>
            </>
          )}
        </Popover>
        <Popover label="Open script" button="⋯" className="btn icon" role="menu">
          {(close) => (
            <>
              {scripts.length === 0 && <div className="hint">The workspace is empty.</div>}
              {scripts.map((s) => (
                <button key={s.name} type="button" role="menuitem" onClick={() => (close(), void act(workspace.open(s.name)))}>
                  <span>{s.name}</span>
                </button>
              ))}
              {active && (
                <>
                  <hr style={{ border: 0, borderTop: '1px solid var(--border)', width: '100%' }} />
                  <button type="button" role="menuitem" onClick={() => (close(), setRenaming(active))}>
                    Rename {active}
                  </button>
                  <DeleteItem name={active} onDelete={() => (close(), void act(workspace.remove(active)))} />
                </>
              )}
            </>
          )}
        </Popover>
      </div>
      {error && (
        <span role="alert" className="muted" style={{ alignSelf: 'center', padding: '0 8px', color: 'var(--error-fg)' }}>
          {error}
        </span>
      )}
    </div>
  );
}

function DeleteItem({ name, onDelete }: { name: string; onDelete: () => void }) {
  const [armed, setArmed] = useState(false);
  return (
    <button type="button" role="menuitem" style={armed ? { color: 'var(--error-fg)' } : undefined} onClick={() => (armed ? onDelete() : setArmed(true))}>
      {armed ? `Really delete ${name}? It cannot be undone` : `Delete ${name}`}
    </button>
  );
}
