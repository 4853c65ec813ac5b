/** The run's outcome: its value as a tree (copyable as JSON), or its error with where it happened. */
import { useState } from 'react';
import { useController } from '../../app/context.ts';
import { scriptOfError } from '../../app/controller.ts';
import type { RunError } from '../../../../engine/common/contract.ts';
import { useStore } from '../../state/store.ts';
import { formatDuration } from '../../../../engine/common/units.ts';
import { toPlainJson } from './value-model.ts';
import { ValueTree } from './ValueTree.tsx';
import { StopReceiptView } from './StopReceipt.tsx';

export function ResultPanel() {
  const controller = useController();
  const session = useStore(controller.runs, (s) => s.current);
  const [copied, setCopied] = useState(false);
  const result = session?.result;

  if (!session) return <div className="empty">No run yet.</div>;
  if (session.kind === 'leak') return <div className="empty">The last action was a leak profile: see the Leaks panel.</div>;
  if (!result) {
    return (
      <div className="empty" role="status">
        Running {session.label}…{session.cancelRequested ? ' (stopping)' : ''}
      </div>
    );
  }
  const copy = async () => {
    await navigator.clipboard.writeText(JSON.stringify(toPlainJson(result.value ?? null), null, 2)).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
  };
  return (
    <div className="panel" data-testid="result">
      <div className="panel-bar">
        <span className={result.ok ? 'ok-line' : ''} style={result.ok ? {} : { color: 'var(--error-fg)' }} role="status">
          {result.ok ? '✓ Completed' : `✖ ${result.error?.type ?? 'Error'}`}
        </span>
        <span className="muted">
          {session.label} · {formatDuration(result.timing.totalMs)}
          {result.isolate ? ` · isolate #${result.isolate.index}${result.isolate.contextReused ? ', reused context' : ''}` : ''}
        </span>
        <div style={{ flex: 1 }} />
        {result.ok && (
          <button type="button" className="btn" aria-label="Copy as JSON" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy as JSON'}
          </button>
        )}
      </div>
      <div className="panel-body">
        {result.error ? (
          <div className="error-box" role="alert" aria-label="Run error">
            <span className="type">{result.error.type}</span>: {result.error.message}
            {result.error.line !== undefined && <ErrorPlace error={result.error} script={session.script} />}
            {result.error.stopped && <StopReceiptView receipt={result.error.stopped} script={session.script} />}
            {result.error.stack && <pre>{result.error.stack}</pre>}
            {result.error.value !== undefined && <ValueTree value={result.error.value} />}
          </div>
        ) : (
          <div aria-label="Result value">
            <ValueTree value={result.value ?? { $isolab: 'undefined' }} defaultOpen />
          </div>
        )}
      </div>
    </div>
  );
}

/** Where the error happened; an imported workspace file opens in the editor at that line. */
function ErrorPlace({ error, script }: { error: RunError; script: string }) {
  const controller = useController();
  const file = error.file ?? script;
  const place = `${file}:${error.line}${error.column !== undefined ? `:${error.column}` : ''}`;
  const openable = error.file === undefined ? script : scriptOfError(error.file);
  return (
    <div className="muted">
      at{' '}
      {openable ? (
        <button type="button" className="link mono" title={`Open ${openable} at line ${error.line}`} onClick={() => controller.revealLine(openable, error.line!, error.column)}>
          {place}
        </button>
      ) : (
        <span className="mono">{place}</span>
      )}
    </div>
  );
}
