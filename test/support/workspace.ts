/** A workspace folder opened for a test, with the scripts it should start with. */
import { Workspace } from '../../engine/workspace/workspace.ts';

export async function workspaceWith(dir: string, scripts: Record<string, string> = {}): Promise<Workspace> {
  const ws = await Workspace.open(dir);
  for (const [script, content] of Object.entries(scripts)) await ws.write(script, content);
  return ws;
}
