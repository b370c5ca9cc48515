import { TerraformStack } from 'cdktf';
import { TerraformJson } from './collisions';

/**
 * The stack's Terraform JSON as `cdktf synth` writes it (overrides and plain provider resources
 * included). The one place the stack checks read it, so that it can be computed once per synth.
 */
export function synthesizedJson(stack: TerraformStack): TerraformJson {
  return stack.toTerraform() as TerraformJson;
}
