import { AccessChange, ChangeImpact, PolicyChange } from './access-change';
import { changedLines, lineDiff } from './line-diff';
import { code } from './markdown';
import { Names } from './names';
import { SynthNote } from './stack-report';
import * as words from './wording';

/** The changes of one stack, with what is needed to name things. */
export interface StackChanges {
  readonly name: string;
  readonly changes: readonly AccessChange[];
  /** Names from both plans. */
  readonly names: Names;
  /** Synth annotations of the head that the base does not have: shown, never counted as changes. */
  readonly newAnnotations?: readonly SynthNote[];
}

/**
 * The changes as Markdown: weakened, strengthened and to note, then the changed policy lines
 * before and after. Pure and deterministic.
 */
export function renderChanges(stacks: readonly StackChanges[]): string {
  const all = stacks.flatMap((stack) => stack.changes.map((change) => ({ stack, change })));
  const lines = [words.CHANGES_TITLE, ''];
  if (all.length === 0) {
    lines.push(words.NO_CHANGES, '');
  } else {
    const counted = (impact: ChangeImpact) => all.filter(({ change }) => change.impact === impact).length;
    lines.push(words.changesSummaryLine(counted(ChangeImpact.WEAKENED), counted(ChangeImpact.STRENGTHENED), counted(ChangeImpact.TO_NOTE)), '');
    const policies = new Map<string, { stack: string; change: PolicyChange; reference: number }>();
    for (const [impact, heading] of [
      [ChangeImpact.WEAKENED, words.HEADINGS.weakened],
      [ChangeImpact.STRENGTHENED, words.HEADINGS.strengthened],
      [ChangeImpact.TO_NOTE, words.HEADINGS.toNote],
    ] as const) {
      const inGroup = all.filter(({ change }) => change.impact === impact);
      if (inGroup.length === 0) continue;
      lines.push(heading, '');
      for (const { stack, change } of inGroup) {
        const references: number[] = [];
        if (change.kind === 'verdict' || change.kind === 'operation-added') {
          for (const policy of change.policies) {
            const key = `${stack.name}|${policy.scope}|${policy.address}|${policy.before ?? ''}|${policy.after ?? ''}`;
            if (!policies.has(key)) policies.set(key, { stack: stack.name, change: policy, reference: policies.size + 1 });
            references.push(policies.get(key)!.reference);
          }
        }
        const see = references.length > 0 ? ` (policy change ${references.map((n) => `[${n}]`).join(', ')})` : '';
        lines.push(`- ${words.changeSubjectText(change.subject, stack.names)} in stack ${code(stack.name)}: ${words.changeText(change, stack.names)}${see}`);
      }
      lines.push('');
    }
    if (policies.size > 0) {
      lines.push(words.HEADINGS.policyChanges, '');
      for (const { stack, change, reference } of policies.values()) {
        lines.push(`${reference}. ${words.policyChangeTitle(change.scope, change.address)} in stack ${code(stack)}`, '', ...fenced(policyDiff(change)), '');
      }
    }
  }
  const annotations = stacks.flatMap((stack) => stack.newAnnotations ?? []);
  if (annotations.length > 0) {
    lines.push(words.HEADINGS.newAnnotations, '', ...annotations.map((note) => words.annotationLine(note.level, note.constructPath, note.message)), '');
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** The changed lines of a policy, with one line of context; passwords redacted. */
function policyDiff(change: PolicyChange): string[] {
  if (change.before === undefined) return [words.POLICY_ADDED, ...redact(change.after ?? '').split('\n').map((line) => `+${line}`)];
  if (change.after === undefined) return [words.POLICY_REMOVED, ...redact(change.before).split('\n').map((line) => `-${line}`)];
  return changedLines(lineDiff(redact(change.before), redact(change.after))).map((line) => `${line.kind}${line.text}`);
}

/** Policies can carry a certificate password (`authentication-certificate password=`): never print it. */
function redact(policy: string): string {
  return policy.replace(/(\bpassword\s*=\s*)("[^"]*"|'[^']*')/gi, '$1"(not shown)"');
}

function fenced(lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}diff`, ...lines, fence];
}
