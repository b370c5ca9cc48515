import { TerraformStack } from 'cdktf';
import { IConstruct, IValidation } from 'constructs';

/** The checks of one stack, as `StackAudit` runs them (cached while the stack is unchanged). */
export interface StackChecks {
  readonly stack: TerraformStack;
  check(): readonly string[];
}

const APPS = new WeakMap<IConstruct, AppChecks>();

/**
 * The stack checks of a whole app, run before any stack is written. cdktf synthesizes stacks one
 * after the other (aspects, validations, write), so a stack that fails its checks would leave
 * the stacks before it written: a half-written cdktf.out. Every stack of the app gets a
 * validation that runs the checks of the other stacks; the first stack validated fails with
 * every stack's errors, and nothing is written. Each stack's checks still run once: a stack
 * unchanged since it was checked reuses its result.
 */
export class AppChecks {
  /** The checks of the app `stack` belongs to. */
  public static of(stack: TerraformStack): AppChecks {
    const root = stack.node.root;
    let checks = APPS.get(root);
    if (!checks) {
      checks = new AppChecks(root);
      APPS.set(root, checks);
    }
    return checks;
  }

  private readonly audited: StackChecks[] = [];
  private readonly guarded = new WeakSet<TerraformStack>();

  private constructor(private readonly root: IConstruct) {}

  /**
   * Adds a stack's checks, and guards every stack of the app that exists now. A stack created
   * later comes later in cdktf's order, so it is written only after the guarded ones passed.
   */
  public register(checks: StackChecks): void {
    this.audited.push(checks);
    for (const node of this.root.node.findAll()) {
      if (!TerraformStack.isStack(node) || this.guarded.has(node)) continue;
      this.guarded.add(node);
      node.node.addValidation(this.guardOf(node));
    }
  }

  /** The validation of `stack` that fails for every other stack's errors. */
  private guardOf(stack: TerraformStack): IValidation {
    return {
      validate: () =>
        this.audited
          .filter((other) => other.stack !== stack)
          .flatMap((other) => other.check().map((error) => `stack "${other.stack.node.id}" (checked before any stack is written): ${error}`)),
    };
  }
}
