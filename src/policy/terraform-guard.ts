import { Fn, IResolvable, IResolveContext, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ConstructConfigurationError } from '../construct-error';
import { GUARDED_THUMBPRINT_PATTERN, GUARDED_URL_PATTERN } from '../plan/guard-patterns';
import { terraformArgumentProblem } from './terraform-argument';

/*
 * A value known only when Terraform evaluates it (a variable, a data source) cannot be checked
 * at synth. Where such a value must reach a policy, it is wrapped in a Terraform `regex()` that
 * accepts only text that cannot change the policy's structure: a bad value fails the plan and
 * never reaches APIM. The plan reader recognises exactly these forms, so the review can judge
 * a guarded value instead of calling the whole policy undecided.
 *
 * The guard holds only if the value stays inside the `regex()` call. cdktf writes a reference or
 * a function call there, but writes the raw text of a Lazy value or a custom token, which could
 * close the call; so the written argument is checked when the stack is synthesized.
 */

export { GUARDED_THUMBPRINT_PATTERN, GUARDED_URL_PATTERN } from '../plan/guard-patterns';

/** `regex("^[0-9A-F]{40}$", upper(value))`: the upper-cased value, or a failed plan. */
export function guardedThumbprint(token: string): string {
  return checkedGuard(Fn.regex(GUARDED_THUMBPRINT_PATTERN, Fn.upper(token)), `regex("${GUARDED_THUMBPRINT_PATTERN}", upper(`, '))', 'thumbprint');
}

/** `regex("<GUARDED_URL_PATTERN>", value)`: the value when it is a plain https URL, or a failed plan. */
export function guardedUrl(token: string): string {
  return checkedGuard(Fn.regex(GUARDED_URL_PATTERN, token), `regex("${GUARDED_URL_PATTERN}", `, ')', 'URL');
}

function checkedGuard(guard: string, prefix: string, suffix: string, what: string): string {
  return Token.asString(new CheckedGuard(guard, prefix, suffix, what));
}

/** Resolves to the guard as cdktf writes it, after checking that its argument cannot leave it. */
class CheckedGuard implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(
    private readonly guard: string,
    private readonly prefix: string,
    private readonly suffix: string,
    private readonly what: string,
  ) {}

  public resolve(context: IResolveContext): unknown {
    const written = context.resolve(this.guard);
    const body = typeof written === 'string' && written.startsWith('${') && written.endsWith('}') ? written.slice(2, -1) : '';
    const inForm = body.startsWith(this.prefix) && body.endsWith(this.suffix);
    const argument = inForm ? body.slice(this.prefix.length, body.length - this.suffix.length) : String(written);
    // Fails closed if cdktf ever writes the guard in another form.
    const problem = inForm ? terraformArgumentProblem(argument) : 'is not the regex() call this library writes';
    if (problem) {
      // No full stop: cdktf adds one after "Resolution error: <message>".
      throw new ConstructConfigurationError(
        this.owner(context.scope),
        `a ${this.what} given as a token is written into Terraform as ${JSON.stringify(argument)}, which ${problem}, so the value could escape the regex() that guards the policy. ` +
          'Pass a Terraform reference (a variable, a local, a data source attribute) or literal text; a Lazy value or custom token is written as raw Terraform code',
      );
    }
    return written;
  }

  /**
   * The construct that holds this guard, for the message: cdktf resolves with the stack as scope.
   * Looked for only when there is an error; the first in tree order is the one the user built.
   */
  private owner(scope: IConstruct): IConstruct {
    const token = this.toString();
    const holds = (construct: IConstruct) => Object.values(construct).some((value) => typeof value === 'string' && value.includes(token));
    return scope.node.findAll().find(holds) ?? scope;
  }

  public toString(): string {
    return Token.asString(this);
  }
}
