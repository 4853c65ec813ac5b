/**
 * The workspace's npm packages: what its node_modules holds (name, version, description), and
 * Add package…, which has the backend run the user's npm in the workspace folder (install scripts
 * off) with its output shown as it comes.
 */
import { useEffect, useRef, useState } from 'react';
import { PackageSpec } from '../../../../engine/common/api.ts';
import { validationMessage } from '../../../../engine/common/validation.ts';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';

function AddPackage() {
  const controller = useController();
  const install = useStore(controller.packages, (s) => s.install);
  const [open, setOpen] = useState(false);
  const [spec, setSpec] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);
  const parsed = PackageSpec.safeParse(spec.trim());
  const problem = spec.trim() && !parsed.success ? validationMessage(parsed.error, { whole: 'package' }) : null;
  const running = install?.running === true;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!parsed.success || running) return;
    void controller.addPackage(parsed.data);
  };
  if (!open) {
    return (
      <button type="button" className="btn primary" onClick={() => setOpen(true)} disabled={running}>
        Add package…
      </button>
    );
  }
  return (
    <form className="add-package" onSubmit={submit} aria-label="Add package">
      <input
        ref={input}
        type="text"
        className="mono"
        aria-label="Package name"
        placeholder="date-fns, lodash-es@4, @scope/name"
        value={spec}
        onChange={(e) => setSpec(e.target.value)}
        aria-invalid={problem ? true : undefined}
        title={problem ?? undefined}
      />
      <button type="submit" className="btn primary" disabled={!parsed.success || running}>
        {running ? 'Installing…' : 'Install'}
      </button>
      <button type="button" className="btn" onClick={() => setOpen(false)} disabled={running}>
        Close
      </button>
    </form>
  );
}

function InstallOutput() {
  const controller = useController();
  const install = useStore(controller.packages, (s) => s.install);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [install?.output]);
  if (!install) return null;
  return (
    <section aria-label="npm output">
      <h3>
        npm install {install.spec}
        {install.running ? ' …' : ''}
      </h3>
      {install.result && (
        <div className={install.result.ok ? 'ok-line' : 'error-box'} role={install.result.ok ? 'status' : 'alert'} data-testid="install-result">
          {install.result.message}
        </div>
      )}
      <pre ref={pre} className="install-output mono" data-testid="install-output">
        {install.output || (install.running ? 'Starting npm…' : '')}
      </pre>
    </section>
  );
}

export function PackagesPanel() {
  const controller = useController();
  const { list, loadError } = useStore(controller.packages, (s) => s);
  const dir = useStore(controller.workspace.store, (s) => s.dir);
  useEffect(() => {
    void controller.refreshPackages();
  }, [controller, dir]);
  // Without a package.json naming them (installed with --no-save, say), every package is listed as installed.
  const named = list?.filter((p) => p.direct) ?? [];
  const [direct, others] = named.length > 0 ? [named, list!.filter((p) => !p.direct)] : [list ?? [], []];
  const table = (packages: typeof direct, label: string) => (
    <table className="figures packages" aria-label={label}>
      <tbody>
        {packages.map((p) => (
          <tr key={p.name} data-testid="package-row">
            <td className="mono">{p.name}</td>
            <td className="mono">{p.version || '–'}</td>
            <td className="muted">{p.unusable ? `cannot be imported: ${p.unusable}` : (p.description ?? '')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <div className="panel" data-testid="packages">
      <div className="panel-bar">
        <AddPackage />
        <div style={{ flex: 1 }} />
        <button type="button" className="btn" onClick={() => void controller.refreshPackages()}>
          Refresh
        </button>
      </div>
      <div className="panel-body">
        <p className="muted">
          Scripts in this workspace can import these packages by name (<code>import {'{ format }'} from 'date-fns'</code>). They come from{' '}
          <span className="mono">{dir ? `${dir}/node_modules` : 'node_modules'}</span>; Add package… runs your npm there, with install scripts off.
        </p>
        {loadError && <div className="error-box">Could not list the packages: {loadError}</div>}
        {list === null && !loadError && <div className="empty">Reading node_modules…</div>}
        {list?.length === 0 && <div className="empty">No packages installed in this workspace yet.</div>}
        {direct.length > 0 && table(direct, 'Installed packages')}
        {others.length > 0 && (
          <>
            <h3>Installed as their dependencies</h3>
            {table(others, 'Dependencies of installed packages')}
          </>
        )}
        <InstallOutput />
      </div>
    </div>
  );
}
