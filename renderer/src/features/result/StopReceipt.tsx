/**
 * Where a stopped run was (timeout, CPU limit, Stop): busy in a loop or waiting, its frames, and
 * what it waited on, each line clickable to open it in the editor.
 */
import type { StopReceipt } from '../../../../engine/common/inspect.ts';
import { formatDuration } from '../../../../engine/common/units.ts';
import { useController } from '../../app/context.ts';

const WAIT_NAME = { timer: 'setTimeout', interval: 'setInterval', promise: 'promise' } as const;

export function StopReceiptView({ receipt, script }: { receipt: StopReceipt; script: string }) {
  const controller = useController();
  const lineButton = (line: number | undefined, column?: number) =>
    line === undefined ? (
      <span className="muted">(line unknown)</span>
    ) : (
      <button type="button" className="btn link" onClick={() => controller.revealLine(script, line)}>
        line {line}
        {column !== undefined ? `, column ${column}` : ''}
      </button>
    );
  return (
    <div className="stop-receipt" aria-label="Where it stopped">
      <div>
        <b>{receipt.state === 'busy' ? 'Busy' : 'Waiting'}</b> for {formatDuration(receipt.wallMs)} (CPU {formatDuration(receipt.cpuMs)})
        {receipt.state === 'busy' ? ': running JavaScript, e.g. a loop' : ': idle, awaiting what is listed below'}
      </div>
      {receipt.frames && receipt.frames.length > 0 && (
        <ul aria-label="Stopped in">
          {receipt.frames.map((f, i) => (
            <li key={i}>
              {i === 0 ? 'stopped in' : 'called from'} <span className="mono">{f.functionName || '(anonymous)'}</span> at {lineButton(f.line, f.column)}
            </li>
          ))}
        </ul>
      )}
      {receipt.waits && receipt.waits.length > 0 && (
        <ul aria-label="Waiting on">
          {receipt.waits.map((w, i) => (
            <li key={i}>
              <span className="mono">{WAIT_NAME[w.kind]}</span>
              {w.delayMs !== undefined ? ` (${formatDuration(w.delayMs)})` : ''} created at {lineButton(w.line, w.column)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
