/** The progress of a workspace export or import, then what it did (or why it failed). */
import { useEffect, useId } from 'react';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { exportSummary, importSummary, type ArchiveState } from './archive.ts';

function title(state: Exclude<ArchiveState, { step: 'idle' }>): string {
  switch (state.step) {
    case 'working':
      return state.kind === 'export' ? 'Exporting workspace' : 'Importing workspace';
    case 'exported':
      return 'Workspace exported';
    case 'imported':
      return 'Workspace imported';
    case 'failed':
      return state.kind === 'export' ? 'Could not export the workspace' : 'Could not import the workspace';
  }
}

function Progress({ state }: { state: Extract<ArchiveState, { step: 'working' }> }) {
  const known = state.done !== null && state.total !== null && state.total > 0;
  return (
    <div className="archive-progress">
      <div>{state.label}…</div>
      <progress aria-label="Archive progress" max={known ? state.total! : undefined} value={known ? state.done! : undefined} />
      <div className="muted">{known ? `${state.done!.toLocaleString('en-US')} of ${state.total!.toLocaleString('en-US')} scripts` : ' '}</div>
    </div>
  );
}

function ImportSummaryView({ state }: { state: Extract<ArchiveState, { step: 'imported' }> }) {
  const summary = importSummary(state.report);
  return (
    <div className="archive-summary" aria-label="Import summary">
      <p>
        {summary.headline} into <span className="mono">{state.report.dir}</span>.
      </p>
      {summary.added.length > 0 && (
        <section aria-label="New scripts">
          <h3>New scripts</h3>
          <ul>
            {summary.added.map((name) => (
              <li key={name} className="mono">
                {name}
              </li>
            ))}
          </ul>
        </section>
      )}
      {summary.renamed.length > 0 && (
        <section aria-label="Renamed scripts">
          <h3>Renamed: the name was taken</h3>
          <ul>
            {summary.renamed.map(({ from, name }) => (
              <li key={from} className="mono">
                {from} → {name}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label="Settings">
        <h3>Settings</h3>
        <p>{summary.settings}</p>
      </section>
      {summary.skipped.length > 0 && (
        <section aria-label="Skipped">
          <h3>Skipped</h3>
          <ul>
            {summary.skipped.map(({ what, why }) => (
              <li key={what}>
                <span className="mono">{what}</span>: {why}
              </li>
            ))}
          </ul>
        </section>
      )}
      {summary.policy && <p className="muted">Team policy in force: {summary.policy}</p>}
    </div>
  );
}

export function ArchiveDialog() {
  const { archive } = useController();
  const state = useStore(archive.store, (s) => s.state);
  const titleId = useId();
  const open = state.step !== 'idle';
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') archive.dismiss();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [archive, open]);
  if (state.step === 'idle') return null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>{title(state)}</h2>
        {state.step === 'working' && <Progress state={state} />}
        {state.step === 'exported' && <p>{exportSummary(state)}</p>}
        {state.step === 'imported' && <ImportSummaryView state={state} />}
        {state.step === 'failed' && (
          <p role="alert" className="error-text">
            {state.message}
          </p>
        )}
        {state.step !== 'working' && (
          <div className="modal-actions">
            <button type="button" className="btn accent" autoFocus onClick={() => archive.dismiss()}>
              Close
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
