/** What the desktop app remembers between launches that is not a user setting: the workspace. */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { writeFileAtomic } from '../../engine/workspace/atomic-write.ts';

const AppStateSchema = z.object({ workspaceDir: z.string().min(1).optional() });
export type AppStateData = z.infer<typeof AppStateSchema>;

export async function loadAppState(path: string): Promise<AppStateData> {
  try {
    const parsed = AppStateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function saveAppState(path: string, state: AppStateData): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}
