/** The toolbar's Live toggle, for the active tab (each tab remembers its own). */
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import './live.css';

export function LiveToggle() {
  const controller = useController();
  const active = useStore(controller.workspace.store, (s) => s.active);
  const on = useStore(controller.live.store, (s) => active !== null && s.enabled.includes(active));
  const busy = useStore(controller.live.store, (s) => active !== null && s.running.includes(active));
  return (
    <button
      type="button"
      className={`btn live-toggle${busy ? ' busy' : ''}`}
      aria-pressed={on}
      aria-label="Live"
      disabled={active === null}
      title="Live: run this script shortly after each edit and show values beside the lines"
      onClick={() => active && controller.live.toggle(active, controller.workspace.text(active))}
    >
      <span className="dot" />
      Live
    </button>
  );
}
