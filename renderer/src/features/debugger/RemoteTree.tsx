/**
 * A debugger value as a tree that fetches its properties when opened (Runtime.getProperties):
 * scopes and objects of a paused run can be huge, and most are never looked at.
 */
import { useEffect, useState } from 'react';
import { useController } from '../../app/context.ts';
import { Leaf } from '../result/ValueTree.tsx';
import type { Property, RemoteObject } from './debugger.ts';
import { expandable, toEncoded } from './remote-value.ts';

export function RemoteNode({ label, value, defaultOpen = false }: { label: string; value: RemoteObject; defaultOpen?: boolean }) {
  const controller = useController();
  const [open, setOpen] = useState(false);
  const [children, setChildren] = useState<Property[] | null>(null);
  const toggle = async () => {
    if (!open && children === null && value.objectId) setChildren(await controller.debugger.properties(value.objectId).catch(() => []));
    setOpen(!open);
  };
  useEffect(() => {
    if (defaultOpen) void toggle();
    // Opened once, when the node first shows; afterwards it is the user's.
  }, []);
  const name = (
    <>
      <span className="key">{label}</span>
      {': '}
    </>
  );
  if (!expandable(value)) {
    return (
      <div className="node">
        {name}
        <Leaf value={toEncoded(value)} />
      </div>
    );
  }
  return (
    <div className="node">
      <button type="button" className="toggle" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`} onClick={() => void toggle()}>
        {open ? '▾' : '▸'}
      </button>
      {name}
      <span className="special">{value.description ?? value.className ?? value.type}</span>
      {open && children && (
        <ul>
          {children.length === 0 && <li className="muted">(no properties)</li>}
          {children.map((child) => (
            <li key={child.name}>
              <RemoteNode label={child.name} value={child.value} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
