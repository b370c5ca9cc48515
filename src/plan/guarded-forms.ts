import { GUARDED_THUMBPRINT_PATTERN as THUMBPRINT_GUARD_PATTERN, GUARDED_URL_PATTERN as URL_GUARD_PATTERN } from './guard-patterns';
import { functionCallOf, stringLiteralOf } from './terraform-expression';

/*
 * The forms `src/policy/terraform-guard.ts` writes around a Terraform value that must reach a
 * policy: `regex("^[0-9A-F]{40}$", upper(X))` (a thumbprint) and `regex("<URL pattern>", X)`
 * (an https URL). Terraform fails the plan for any other text, so the reader can judge the
 * policy with a placeholder for X instead of calling it undecided. Writer and reader share the
 * patterns of guard-patterns.ts; a test synthesizes the guards and reads them back.
 */

export type GuardedForm = { readonly kind: 'thumbprint' | 'url'; readonly value: string };

/** The guarded value `X` of a guard expression, or undefined when the expression is not one. */
export function guardedFormOf(expression: string): GuardedForm | undefined {
  const call = functionCallOf(expression);
  if (!call || call.name !== 'regex' || call.args.length !== 2) return undefined;
  const pattern = stringLiteralOf(call.args[0]);
  if (pattern === THUMBPRINT_GUARD_PATTERN) {
    const upper = functionCallOf(call.args[1]);
    if (!upper || upper.name !== 'upper' || upper.args.length !== 1) return undefined;
    return { kind: 'thumbprint', value: upper.args[0] };
  }
  if (pattern === URL_GUARD_PATTERN) return { kind: 'url', value: call.args[1] };
  return undefined;
}

/** What Terraform does with a guard when the guarded value is a known literal: the value, or a failed plan. */
export function applyGuard(kind: GuardedForm['kind'], literal: string): string | undefined {
  const value = kind === 'thumbprint' ? literal.toUpperCase() : literal;
  return new RegExp(kind === 'thumbprint' ? THUMBPRINT_GUARD_PATTERN : URL_GUARD_PATTERN).test(value) ? value : undefined;
}
