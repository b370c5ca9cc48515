/*
 * What a policy does with some values of the request, e.g. the presented certificate's
 * thumbprint. A caller that differs from a simulated one only in such a value fares exactly as
 * that caller did unless the policy compared the value with the caller's own, or used it in a
 * way other than a comparison. That lets a review simulate one stand-in certificate and know
 * which other certificates it stands for, without guessing from the policy's text.
 */

/** How a watched value was tested against a text. */
export enum ValueTest {
  /** `==`, `!=`, `Equals`, and the element checks that compare a whole value. */
  EQUALS = 'equals',
  STARTS_WITH = 'starts-with',
  ENDS_WITH = 'ends-with',
  CONTAINS = 'contains',
}

export interface ObservedTest {
  readonly test: ValueTest;
  /** The text the watched value was tested against. */
  readonly against: string;
  readonly ignoreCase: boolean;
}

export interface ValueObservation {
  /** Each test of the value against another text, in order of first occurrence (no duplicates). */
  readonly tests: readonly ObservedTest[];
  /** Where the value was used other than in a test: the policy's decision may depend on it in any way. */
  readonly otherUses: readonly string[];
}

/**
 * Watches string values while a policy runs. The simulator reports every use of a watched
 * value to it; a value counts as the watched one when it is equal to it (strings are values).
 */
export class ValueObserver {
  private readonly observations = new Map<string, { tests: ObservedTest[]; keys: Set<string>; otherUses: string[] }>();

  constructor(watched: Iterable<string>) {
    for (const value of watched) this.observations.set(value, { tests: [], keys: new Set(), otherUses: [] });
  }

  /** Whether `value` is one of the watched values. */
  public watches(value: unknown): value is string {
    return typeof value === 'string' && this.observations.has(value);
  }

  /** `a` and `b` were compared for equality (either may be the watched one). */
  public compared(a: unknown, b: unknown, ignoreCase = false): void {
    if (this.watches(a) && !this.watches(b) && typeof b === 'string') this.record(a, { test: ValueTest.EQUALS, against: b, ignoreCase });
    if (this.watches(b) && !this.watches(a) && typeof a === 'string') this.record(b, { test: ValueTest.EQUALS, against: a, ignoreCase });
  }

  /** `value` (the receiver) was tested with StartsWith, EndsWith or Contains against `against`. */
  public tested(value: unknown, test: ValueTest, against: unknown, ignoreCase = false): void {
    if (!this.watches(value)) return;
    if (typeof against === 'string' && !this.watches(against)) this.record(value, { test, against, ignoreCase });
    else this.used(value, `${test} with a value derived from it`);
  }

  /** `value` was used in a way that is not a test (a method, an operator, a result leaving the expression). */
  public used(value: unknown, where: string): void {
    if (!this.watches(value)) return;
    const observation = this.observations.get(value)!;
    if (!observation.otherUses.includes(where)) observation.otherUses.push(where);
  }

  /** Every watched value contained in `text` (a result that leaves the expression) counts as used. */
  public usedWithin(text: unknown, where: string): void {
    if (typeof text !== 'string') return;
    for (const value of this.observations.keys()) if (value !== '' && text.includes(value)) this.used(value, where);
  }

  public observationOf(value: string): ValueObservation {
    const observation = this.observations.get(value);
    return { tests: observation?.tests ?? [], otherUses: observation?.otherUses ?? [] };
  }

  private record(value: string, test: ObservedTest): void {
    const observation = this.observations.get(value)!;
    const key = `${test.test}|${test.ignoreCase}|${test.against}`;
    if (observation.keys.has(key)) return;
    observation.keys.add(key);
    observation.tests.push(test);
  }
}
