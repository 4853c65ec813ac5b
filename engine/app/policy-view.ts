/**
 * The `policy.get` channel: the team policy as the IDE shows it (locks with their reasons, the
 * limits' maximums, the examples and the welcome script). The rules are engine/common/policy.ts;
 * this reads the files the policy names, each time a page asks, so an administrator's edit to the
 * examples folder shows on the next reload.
 */
import type { PolicyView } from '../common/api.ts';
import { policyView, type ActivePolicy } from '../common/policy.ts';
import { importedScriptName } from '../common/script-files.ts';
import { policyWelcomeScript } from '../client/policy-file.ts';
import { readExamplesFolder } from '../workspace/examples-folder.ts';

export async function loadPolicyView(active: ActivePolicy | null): Promise<PolicyView> {
  if (!active) return policyView(null);
  const folder = active.policy.examples.folder;
  const team = folder ? await readExamplesFolder(folder) : [];
  const welcome = policyWelcomeScript(active);
  // The file's own name, made a valid script name by the one rule for names from outside.
  const named = welcome ? { name: importedScriptName(welcome.name, []) ?? 'welcome.js', content: welcome.content } : welcome;
  return policyView(active, { team, welcome: named });
}
