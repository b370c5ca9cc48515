import { AnnotationMetadataEntryType, TerraformStack } from 'cdktf';
import { IConstruct, IValidation } from 'constructs';

const GUARDED_APPS = new WeakMap<IConstruct, WeakSet<TerraformStack>>();

/**
 * Validates a whole app before its first stack is written. cdktf synthesizes stacks one after
 * the other (aspects, validations, write), so a stack that fails validation would leave the
 * stacks before it written: a half-written cdktf.out. The first stack of the app gets a
 * validation that runs every validation of the other stacks (ours, cdktf's, any construct's) and
 * reports their error annotations, so the first stack fails with every stack's errors and nothing
 * is written. Only the first stack does this, so each stack is validated at most twice (the
 * stack audit caches its result while the stack is unchanged).
 *
 * Aspects of a later stack run only when cdktf reaches that stack; what they change is judged
 * then, after the stacks before it were written.
 */
export class AppChecks {
  /** Guards every stack that exists now in the app of `stack`; call again when more stacks may exist. */
  public static guard(stack: TerraformStack): void {
    const root = stack.node.root;
    let guarded = GUARDED_APPS.get(root);
    if (!guarded) {
      guarded = new WeakSet();
      GUARDED_APPS.set(root, guarded);
    }
    for (const node of root.node.findAll()) {
      if (!TerraformStack.isStack(node) || guarded.has(node)) continue;
      guarded.add(node);
      node.node.addValidation(guardOf(node));
    }
  }
}

/** The validation of `stack` that, when it is the app's first stack, fails for every other stack's errors. */
function guardOf(stack: TerraformStack): IValidation {
  return {
    validate: () => {
      const stacks = stack.node.root.node.findAll().filter(TerraformStack.isStack);
      if (stacks[0] !== stack) return [];
      return stacks.slice(1).flatMap((other) => errorsOf(other).map((error) => `stack "${other.node.id}" (checked before any stack is written): ${error}`));
    },
  };
}

/** What would stop cdktf from writing `stack`: its validations' errors and its error annotations. */
function errorsOf(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((node) => [
    ...node.node.validate().map((error) => `[${node.node.path}] ${error}`),
    ...node.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.ERROR).map((entry) => `[${node.node.path}] ${String(entry.data)}`),
  ]);
}
