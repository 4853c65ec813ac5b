/**
 * Examples as the menu shows them: a title and a first sentence from each script's leading
 * comment, the team's examples (from its policy) before Isolab's own. Kept apart from the bundled
 * files (examples.ts) so it is testable without the bundler.
 */
import type { PolicyView } from '../../../../engine/common/api.ts';

export interface Example {
  file: string;
  title: string;
  summary: string;
  content: string;
}

/** Title and first sentence from the leading `//` comment block. */
export function describeExample(file: string, content: string): Example {
  const comment: string[] = [];
  for (const line of content.split('\n')) {
    const match = /^\/\/\s?(.*)$/.exec(line);
    if (!match) break;
    comment.push(match[1]!);
  }
  const title = comment[0]?.trim() || file;
  const body = comment.slice(1).join(' ').replace(/\s+/g, ' ').trim();
  const sentence = /^(.*?[.!?])(\s|$)/.exec(body)?.[1] ?? body;
  return { file, title, summary: sentence, content };
}

/** The examples menu under a team policy: the team's first, then Isolab's unless the policy turns them off. */
export function examplesFor(policy: PolicyView, builtIn: Example[]): { team: Example[]; builtIn: Example[] } {
  return {
    team: policy.examples.team.map((script) => describeExample(script.name, script.content)),
    builtIn: policy.examples.builtIn ? builtIn : [],
  };
}
