import { applyGuard, guardedFormOf } from './guarded-forms';
import { PlanSymbolKind } from './plan';
import { known, PlanValue, undecided } from './plan-value';
import { Placeholders } from './placeholders';
import { display, isRecord, TerraformConfiguration } from './terraform-configuration';
import { Traversal, traversalOf } from './terraform-expression';
import { templateParts } from './terraform-template';

/** Longest chain of references followed before a value counts as undecided. */
const MAX_DEPTH = 12;

/** Roots of expressions whose value only Terraform knows. */
const APPLY_TIME_ROOTS: Readonly<Record<string, string>> = {
  var: 'a variable',
  local: 'a local value',
  module: 'a module output',
  each: 'for_each',
  count: 'count',
  self: 'self',
  path: 'a path',
  terraform: 'the workspace',
  lifecycle: 'lifecycle.ignore_changes: Terraform leaves whatever is deployed',
};

/** Attribute values Terraform computes, that the plan knows in another way. */
export type ComputedAttribute = (address: string, attribute: string) => PlanValue<string> | undefined;

/**
 * Evaluates configuration values as far as the plan can: literals, references to the inputs of
 * other resources, and the guarded forms. Never guesses: anything else is undecided.
 */
export class ValueResolver {
  constructor(
    private readonly configuration: TerraformConfiguration,
    private readonly placeholders: Placeholders,
    private readonly computed: ComputedAttribute = () => undefined,
  ) {}

  /** A string value with every interpolation resolved. */
  public text(value: unknown, depth = 0): PlanValue<string> {
    if (typeof value === 'number' || typeof value === 'boolean') return known(String(value));
    if (typeof value !== 'string') return undecided(value === undefined || value === null ? 'not set' : `not a string: ${display(value)}`);
    let out = '';
    for (const part of templateParts(value)) {
      switch (part.kind) {
        case 'text':
          out += part.text;
          break;
        case 'directive':
          return undecided(`template directive %{${part.directive}}`);
        case 'unterminated':
          return undecided(`unterminated interpolation ${part.from}`);
        case 'interpolation': {
          const resolved = this.expression(part.expression, depth);
          if (!resolved.known) return resolved;
          out += resolved.value;
        }
      }
    }
    return known(out);
  }

  /** A boolean value (`true`, `"true"`, a reference to one); undefined when not written. */
  public boolean(value: unknown): PlanValue<boolean> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return known(value);
    const text = this.text(value);
    if (!text.known) return text;
    if (text.value === 'true' || text.value === 'false') return known(text.value === 'true');
    return undecided(`not a boolean: ${display(value)}`);
  }

  /** The value of one `${…}` expression. */
  public expression(expression: string, depth = 0): PlanValue<string> {
    if (depth > MAX_DEPTH) return undecided(`references nest more than ${MAX_DEPTH} deep at \${${expression}}`);
    const traversal = traversalOf(expression);
    if (traversal) return this.traversal(traversal, depth);
    const guarded = guardedFormOf(expression);
    if (guarded) {
      const inner = this.expression(guarded.value, depth + 1);
      if (inner.known) {
        const checked = applyGuard(guarded.kind, inner.value);
        return checked === undefined ? undecided(`\${${expression}} fails the plan: ${JSON.stringify(inner.value)} does not pass the guard`) : known(checked);
      }
      return known(
        guarded.kind === 'thumbprint'
          ? this.placeholders.thumbprint(PlanSymbolKind.GUARDED_THUMBPRINT, guarded.value)
          : this.placeholders.url(guarded.value),
      );
    }
    return undecided(`\${${expression}}`);
  }

  /** The value a traversal refers to. */
  public traversal(traversal: Traversal, depth = 0): PlanValue<string> {
    const [root] = traversal.steps;
    if (root in APPLY_TIME_ROOTS) return undecided(`\${${traversal.text}} (${APPLY_TIME_ROOTS[root]})`);
    const isData = root === 'data';
    const steps = isData ? traversal.steps.slice(1) : traversal.steps;
    if (steps.length < 3) return undecided(`\${${traversal.text}}`);
    const address = `${isData ? 'data.' : ''}${steps[0]}.${steps[1]}`;
    const resource = this.configuration.get(address);
    if (!resource) return undecided(`\${${traversal.text}} refers to ${address}, which is not in the configuration`);
    if (resource.presence.known && !resource.presence.value) return undecided(`\${${traversal.text}} refers to ${address}, which count/for_each removes`);
    const computed = steps.length === 3 ? this.computed(address, steps[2]) : undefined;
    if (computed) return computed;
    let value: unknown = resource.config;
    for (const step of steps.slice(2)) {
      if (Array.isArray(value) && /^[0-9]+$/.test(step)) value = value[Number(step)];
      else if (isRecord(value) && /^[0-9]+$/.test(step) && step === '0') continue; // one block written as an object
      else value = isRecord(value) ? value[step] : undefined;
    }
    if (value === undefined || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) {
      return undecided(`\${${traversal.text}} is computed${isData ? ' when the data source is read' : ' at apply'}`);
    }
    return this.text(value, depth + 1);
  }
}
