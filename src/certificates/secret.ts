import { Annotations, TerraformStack, TerraformVariable } from 'cdktf';
import { IConstruct } from 'constructs';

enum SecretKind {
  ENVIRONMENT = 'environment',
  TERRAFORM_VARIABLE = 'terraform-variable',
  PLAIN_TEXT = 'plain-text',
}

const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TF_VAR_PREFIX = 'TF_VAR_';

/**
 * A secret such as a PFX password. It reaches Terraform as a sensitive variable, never as text
 * in `cdk.tf.json`, unless you choose `unsafePlainText` (warned).
 */
export class Secret {
  /**
   * Read from an environment variable at synth (for local checks) and declared as a sensitive
   * Terraform variable for deploy. The variable is named after `envName` without a `TF_VAR_`
   * prefix, so with `Secret.fromEnvironment('TF_VAR_partner_pfx_password')` one environment
   * variable serves both `cdktf synth` and `terraform apply`.
   */
  public static fromEnvironment(envName: string): Secret {
    if (!ENVIRONMENT_NAME.test(envName) || envName === TF_VAR_PREFIX) {
      throw new Error(
        `${JSON.stringify(envName)} is not a usable environment variable name. Use letters, digits and "_", e.g. "TF_VAR_partner_pfx_password".`,
      );
    }
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
   * The value itself. It is written into `cdk.tf.json` in plain text and therefore into your
   * repository or CI logs if you keep or print them; a synth warning says so. For throwaway
   * test stacks only.
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
    if (this.kind === SecretKind.ENVIRONMENT) return this.name.startsWith(TF_VAR_PREFIX) ? this.name.slice(TF_VAR_PREFIX.length) : this.name;
    if (this.kind === SecretKind.TERRAFORM_VARIABLE) return this.name;
    return undefined;
  }

  /** The value available at synth for local checks, or undefined when it is not. */
  public valueAtSynth(): string | undefined {
    if (this.kind === SecretKind.ENVIRONMENT) return process.env[this.name];
    if (this.kind === SecretKind.PLAIN_TEXT) return this.plainText;
    return undefined;
  }

  /**
   * The value to write into a resource: a reference to a sensitive variable (declared once per
   * stack on first use), or the plain text with a warning on `scope`.
   */
  public bind(scope: IConstruct): string {
    switch (this.kind) {
      case SecretKind.PLAIN_TEXT:
        Annotations.of(scope).addWarning(
          'Secret.unsafePlainText: the secret is written into cdk.tf.json in plain text. Use Secret.fromEnvironment or Secret.fromTerraformVariable outside throwaway stacks.',
        );
        return this.plainText!;
      case SecretKind.TERRAFORM_VARIABLE:
        if (!this.variable!.sensitive) {
          Annotations.of(scope).addWarning(
            `Terraform variable ${this.name} carries a secret but is not marked sensitive: plans and logs would show it. Declare it with sensitive: true.`,
          );
        }
        return this.variable!.stringValue;
      default:
        return declaredVariable(scope, this.terraformVariableName!, this.name).stringValue;
    }
  }
}

function declaredVariable(scope: IConstruct, name: string, envName: string): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(name);
  if (existing instanceof TerraformVariable) return existing;
  if (existing) {
    throw new Error(`${stack.node.path}: Secret.fromEnvironment(${JSON.stringify(envName)}) needs the id "${name}" for its Terraform variable, but another construct uses it. Rename that construct.`);
  }
  const variable = new TerraformVariable(stack, name, {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: `Secret for cdktf-apim-mtls; set TF_VAR_${name} when running terraform.`,
  });
  variable.overrideLogicalId(name);
  return variable;
}

