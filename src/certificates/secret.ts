import { Annotations, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ConstructConfigurationError } from '../construct-error';

enum SecretKind {
  ENVIRONMENT = 'environment',
  TERRAFORM_VARIABLE = 'terraform-variable',
  PLAIN_TEXT = 'plain-text',
}

const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TF_VAR_PREFIX = 'TF_VAR_';
// Terraform refuses variables with these names.
const RESERVED_VARIABLE_NAMES = new Set(['source', 'version', 'providers', 'count', 'for_each', 'lifecycle', 'depends_on', 'locals']);

/** Which `Secret.fromEnvironment` name declared each Terraform variable of a stack, and for which construct first. */
const declaredByStack = new WeakMap<TerraformStack, Map<string, { readonly envName: string; readonly firstUser: string }>>();

/**
 * A secret such as a PFX password. It reaches Terraform as a sensitive variable, never as text
 * in `cdk.tf.json`, unless you choose `unsafePlainText` (warned).
 */
export class Secret {
  /**
   * Read from the environment variable `envName` when the app runs (`cdktf synth` passes it
   * through), to open and check what the secret protects; Terraform gets it as the sensitive
   * variable named `envName` in lower case: `Secret.fromEnvironment('PARTNER_PFX_PASSWORD')`
   * is read from `PARTNER_PFX_PASSWORD` at synth and from `TF_VAR_partner_pfx_password` at apply.
   *
   * A `TF_VAR_` name is refused: `cdktf synth` removes every `TF_VAR_*` variable from the
   * app's environment, so it could never be read there.
   */
  public static fromEnvironment(envName: string): Secret {
    return new Secret(SecretKind.ENVIRONMENT, envName);
  }

  /**
   * A Terraform variable you declared (mark it `sensitive: true`). Its value is not known at
   * synth, so synth-time checks of what it protects are skipped with a warning.
   */
  public static fromTerraformVariable(variable: TerraformVariable): Secret {
    return new Secret(SecretKind.TERRAFORM_VARIABLE, variable.friendlyUniqueId, variable);
  }

  /**
   * The value itself. It is written into `cdk.tf.json` in plain text (with `${` and `%{`
   * doubled so that Terraform reads them literally) and therefore into your repository or CI
   * logs if you keep or print them; a synth warning says so. For throwaway test stacks only.
   */
  public static unsafePlainText(value: string): Secret {
    return new Secret(SecretKind.PLAIN_TEXT, 'plain text', undefined, value);
  }

  private constructor(
    private readonly kind: SecretKind,
    private readonly name: string,
    private readonly variable?: TerraformVariable,
    private readonly plainText?: string,
  ) {}

  /** Where the secret comes from, for messages. Never the value. */
  public get description(): string {
    switch (this.kind) {
      case SecretKind.ENVIRONMENT:
        return `environment variable ${this.name}`;
      case SecretKind.TERRAFORM_VARIABLE:
        return `Terraform variable ${this.name}`;
      default:
        return 'a plain-text secret';
    }
  }

  /** The Terraform variable a deploy reads, when the secret is one. */
  public get terraformVariableName(): string | undefined {
    if (this.kind === SecretKind.ENVIRONMENT) return this.name.toLowerCase();
    if (this.kind === SecretKind.TERRAFORM_VARIABLE) return this.name;
    return undefined;
  }

  /** The environment variable read at synth, when the secret is one. */
  public get environmentVariableName(): string | undefined {
    return this.kind === SecretKind.ENVIRONMENT ? this.name : undefined;
  }

  /**
   * True when the value can never be known at synth (a Terraform variable): checks of what the
   * secret protects are skipped by design, not by mistake.
   */
  public get unknownAtSynth(): boolean {
    return this.kind === SecretKind.TERRAFORM_VARIABLE;
  }

  /** The value available at synth for local checks, or undefined when it is not. */
  public valueAtSynth(): string | undefined {
    if (this.kind === SecretKind.ENVIRONMENT) return process.env[this.name];
    if (this.kind === SecretKind.PLAIN_TEXT) return this.plainText;
    return undefined;
  }

  /**
   * The value to write into a resource of `scope`: a reference to a sensitive variable
   * (declared once per stack on first use), or the plain text with a warning. Throws an error
   * naming `scope` for an environment variable name that cannot work.
   */
  public bind(scope: IConstruct): string {
    switch (this.kind) {
      case SecretKind.PLAIN_TEXT:
        if (Token.isUnresolved(this.plainText)) {
          // cdktf would resolve the token inside the escaped text, so Terraform would get other text than the one given.
          throw new ConstructConfigurationError(
            scope,
            'Secret.unsafePlainText got a Terraform token (or text shaped like one, "${TfToken[…]}") instead of plain text. ' +
              'Pass a Terraform variable with Secret.fromTerraformVariable(variable), or an environment variable with Secret.fromEnvironment(name).',
          );
        }
        Annotations.of(scope).addWarning(
          'Secret.unsafePlainText: the secret is written into cdk.tf.json in plain text. Use Secret.fromEnvironment or Secret.fromTerraformVariable outside throwaway stacks.',
        );
        return escapeTemplateSequences(this.plainText!);
      case SecretKind.TERRAFORM_VARIABLE:
        if (!this.variable!.sensitive) {
          Annotations.of(scope).addWarning(
            `Terraform variable ${this.name} carries a secret but is not marked sensitive: plans and logs would show it. Declare it with sensitive: true.`,
          );
        }
        return this.variable!.stringValue;
      default: {
        const problem = environmentNameProblem(this.name);
        if (problem) throw new ConstructConfigurationError(scope, problem);
        return declaredVariable(scope, this.name).stringValue;
      }
    }
  }
}

function environmentNameProblem(envName: string): string | undefined {
  const factory = `Secret.fromEnvironment(${JSON.stringify(envName)})`;
  if (typeof envName !== 'string' || !ENVIRONMENT_NAME.test(envName)) {
    return `${factory}: not a usable environment variable name. Use letters, digits and "_", e.g. "PARTNER_PFX_PASSWORD".`;
  }
  if (envName.toUpperCase().startsWith(TF_VAR_PREFIX)) {
    const suggested = envName.slice(TF_VAR_PREFIX.length).toUpperCase() || 'PFX_PASSWORD';
    return (
      `${factory} can never be read under cdktf synth: the CLI removes every TF_VAR_* variable from the app's environment, so what the secret protects would go unchecked. ` +
      `Read it from a name without the prefix, Secret.fromEnvironment(${JSON.stringify(suggested)}); Terraform still gets it as the sensitive variable ` +
      `${suggested.toLowerCase()} (set TF_VAR_${suggested.toLowerCase()} for terraform apply or cdktf deploy).`
    );
  }
  if (RESERVED_VARIABLE_NAMES.has(envName.toLowerCase())) {
    return `${factory}: Terraform reserves the variable name "${envName.toLowerCase()}". Choose another environment variable name.`;
  }
  return undefined;
}

function declaredVariable(scope: IConstruct, envName: string): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const name = envName.toLowerCase();
  let declared = declaredByStack.get(stack);
  if (!declared) {
    declared = new Map();
    declaredByStack.set(stack, declared);
  }
  const earlier = declared.get(name);
  const existing = stack.node.tryFindChild(name);
  if (earlier && earlier.envName !== envName) {
    throw new ConstructConfigurationError(
      scope,
      `Secret.fromEnvironment(${JSON.stringify(envName)}) and Secret.fromEnvironment(${JSON.stringify(earlier.envName)}) (used by ${earlier.firstUser}) ` +
        `both become the Terraform variable "${name}", so Terraform would give both the same value. Use one name for both, or names that differ by more than case.`,
    );
  }
  if (earlier && existing instanceof TerraformVariable) return existing;
  if (existing) {
    throw new ConstructConfigurationError(
      scope,
      `Secret.fromEnvironment(${JSON.stringify(envName)}) declares the Terraform variable "${name}", but ${existing.node.path} already has that id. ` +
        'Rename that construct, or pass your variable with Secret.fromTerraformVariable(...).',
    );
  }
  const variable = new TerraformVariable(stack, name, {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: `Secret for cdktf-apim-mtls, read from ${envName} at synth; set TF_VAR_${name} when running terraform.`,
  });
  variable.overrideLogicalId(name);
  declared.set(name, { envName, firstUser: scope.node.path });
  return variable;
}

/** Text that Terraform reads literally: `${` and `%{` doubled, as its templates require. */
export function escapeTemplateSequences(text: string): string {
  // A function replacer: in a replacement string "$$" would stand for one "$".
  return text.replace(/[$%]\{/g, (sequence) => sequence[0] + sequence);
}
