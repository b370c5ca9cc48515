/**
 * A value as Terraform will apply it: known now (a literal, or a reference the plan resolves),
 * or undecided until apply, with the reason. The reader never guesses an undecided value.
 */
export type PlanValue<T> = KnownValue<T> | UndecidedValue;

export interface KnownValue<T> {
  readonly known: true;
  readonly value: T;
}

export interface UndecidedValue {
  readonly known: false;
  /** What only Terraform can compute, e.g. `${var.partner_thumbprint}` or `count = var.enabled ? 1 : 0`. */
  readonly reason: string;
}

export function known<T>(value: T): KnownValue<T> {
  return { known: true, value };
}

export function undecided(reason: string): UndecidedValue {
  return { known: false, reason };
}

/** The value, or `fallback` when it is undecided. */
export function valueOr<T, F>(value: PlanValue<T> | undefined, fallback: F): T | F {
  return value?.known ? value.value : fallback;
}
