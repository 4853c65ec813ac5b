/** The engine's health: pool, queue, restarts, interrupts and how fast they land. */
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { formatBytes, formatDuration } from '../../../../engine/common/units.ts';

export function EnginePanel() {
  const controller = useController();
  const status = useStore(controller.engine, (s) => s.status);
  if (!status) return <div className="empty">Waiting for the engine…</div>;
  const { pool, interrupts } = status;
  return (
    <div className="panel">
      <div className="panel-body">
        <table className="figures" aria-label="Engine">
          <tbody>
            <tr>
              <td>State</td>
              <td>{status.state}</td>
            </tr>
            <tr>
              <td>Host process</td>
              <td>{status.hostPid ?? '–'}</td>
            </tr>
            {status.versions && (
              <tr>
                <td>Versions</td>
                <td>
                  Node {status.versions.node} · V8 {status.versions.v8} · isolated-vm {status.versions.isolatedVm}
                </td>
              </tr>
            )}
            {pool && (
              <>
                <tr>
                  <td>Pool</td>
                  <td>
                    {pool.busy} busy of {pool.size} isolates · {pool.queued} queued (max {pool.maxQueue}){pool.acceptingWork ? '' : ' · not accepting work'}
                  </td>
                </tr>
                <tr>
                  <td>Runs</td>
                  <td>
                    {pool.runs} · {pool.isolatesReplaced} isolates replaced
                  </td>
                </tr>
                <tr>
                  <td>Host memory</td>
                  <td>
                    {formatBytes(pool.rssBytes)} of {formatBytes(pool.rssBudgetBytes)} budget
                  </td>
                </tr>
              </>
            )}
            <tr>
              <td>Restarts</td>
              <td>{interrupts.hostRestarts}</td>
            </tr>
          </tbody>
        </table>
        <h3>Interrupts</h3>
        <table className="figures" aria-label="Interrupts">
          <thead>
            <tr>
              <th>Timeouts</th>
              <th>CPU limits</th>
              <th>Cancels</th>
              <th>Memory limits</th>
              <th>Latency p50</th>
              <th>p99</th>
              <th>max</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{interrupts.timeouts}</td>
              <td>{interrupts.cpuLimits}</td>
              <td>{interrupts.cancels}</td>
              <td>{interrupts.memoryLimits}</td>
              <td>{interrupts.latencyMs.count ? formatDuration(interrupts.latencyMs.p50) : '–'}</td>
              <td>{interrupts.latencyMs.count ? formatDuration(interrupts.latencyMs.p99) : '–'}</td>
              <td>{interrupts.latencyMs.count ? formatDuration(interrupts.latencyMs.max) : '–'}</td>
            </tr>
          </tbody>
        </table>
        {pool && pool.isolates.length > 0 && (
          <>
            <h3>Isolates</h3>
            <table className="figures" aria-label="Isolates">
              <thead>
                <tr>
                  <th>#</th>
                  <th>State</th>
                  <th>Runs</th>
                  <th>Errors</th>
                  <th>Heap used</th>
                  <th>Limit</th>
                </tr>
              </thead>
              <tbody>
                {pool.isolates.map((i) => (
                  <tr key={i.index}>
                    <td>{i.index}</td>
                    <td>{i.busy ? 'busy' : 'idle'}</td>
                    <td>{i.runs}</td>
                    <td>{i.errors}</td>
                    <td>{formatBytes(i.heapUsedBytes)}</td>
                    <td>{i.memoryLimitMb} MB</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
