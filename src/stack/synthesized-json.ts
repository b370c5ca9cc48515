import { TerraformStack } from 'cdktf';
import { TerraformJson } from './collisions';

const SERIALIZED_ONCE = new WeakSet<TerraformStack>();

/**
 * The stack's Terraform JSON as `cdktf synth` writes it (overrides and plain provider resources
 * included). The one place the stack checks read it; during a synth it is the very object cdktf
 * then writes (see `serializeOncePerSynth`).
 */
export function synthesizedJson(stack: TerraformStack): TerraformJson {
  return stack.toTerraform() as TerraformJson;
}

/**
 * Makes a synth of the stack serialize it once: while the stack's synthesizer runs, every
 * `toTerraform()` returns what the first call computed, so the configuration the stack checks
 * read in their validation is the one cdktf writes afterwards. Resolving every token of a large
 * stack is most of a synth's cost, and it was done twice. Between the validation and the write,
 * cdktf only runs the other validations, the custom synthesis of assets (copying files) and the
 * collection of annotations, none of which changes the configuration. Outside a synth (tests
 * calling `toTerraform()`, `Testing.synth`) every call serializes afresh.
 */
export function serializeOncePerSynth(stack: TerraformStack): void {
  if (SERIALIZED_ONCE.has(stack)) return;
  SERIALIZED_ONCE.add(stack);
  const synthesizer = stack.synthesizer;
  const synthesize = synthesizer.synthesize.bind(synthesizer);
  synthesizer.synthesize = (session) => {
    const own = Object.getOwnPropertyDescriptor(stack, 'toTerraform');
    const serialize = stack.toTerraform;
    let json: unknown;
    stack.toTerraform = () => (json ??= serialize.call(stack));
    try {
      synthesize(session);
    } finally {
      if (own) Object.defineProperty(stack, 'toTerraform', own);
      else Reflect.deleteProperty(stack, 'toTerraform');
    }
  };
}
