import { TerraformStack, Testing } from 'cdktf';

/** One resource of a synthesized stack. */
export interface SynthesizedResource {
  /** `type.name`, as `depends_on` writes it. */
  readonly address: string;
  readonly values: any;
}

export interface SynthesizedStack {
  readonly json: any;
  /** Every resource of `type`. */
  all(type: string): SynthesizedResource[];
  /** The only resource of `type`; throws unless there is exactly one. */
  only(type: string): SynthesizedResource;
  /** The resource of `type` whose `name`-like attribute (or address) contains `part`. */
  named(type: string, part: string): SynthesizedResource;
}

/** Synthesizes with validations, as `cdktf synth` does, and gives the resources by type. */
export function synthesized(stack: TerraformStack): SynthesizedStack {
  const json = JSON.parse(Testing.synth(stack, true));
  const all = (type: string) => Object.entries<any>(json.resource?.[type] ?? {}).map(([name, values]) => ({ address: `${type}.${name}`, values }));
  return {
    json,
    all,
    only(type) {
      const found = all(type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return found[0];
    },
    named(type, part) {
      const found = all(type).filter((r) => r.address.includes(part));
      if (found.length !== 1) throw new Error(`expected one ${type} with "${part}" in its address, found ${found.length}`);
      return found[0];
    },
  };
}
