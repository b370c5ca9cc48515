/**
 * Thrown when `simulatePolicy` cannot say what APIM would do. The simulator never guesses: a
 * policy it cannot read or an expression it cannot evaluate ends the simulation with an error.
 */
export class PolicySimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicySimulationError';
  }
}

/**
 * The policy is not something APIM would accept: malformed XML or rawxml, a missing required
 * attribute, a C# expression that would not compile, a fragment that does not exist.
 */
export class InvalidPolicyError extends PolicySimulationError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPolicyError';
  }
}

/**
 * A policy expression (or named value) outside the C# subset the simulator interprets.
 * `unsupported` is the part that is not supported, `expression` the whole expression.
 */
export class UnsupportedExpressionError extends PolicySimulationError {
  constructor(
    public readonly unsupported: string,
    public readonly expression: string,
    detail: string,
  ) {
    super(`"${unsupported}" is outside what the policy simulator interprets (${detail}), in: ${expression}`);
    this.name = 'UnsupportedExpressionError';
  }
}

/**
 * A policy uses a named value (`{{name}}`) that `request.namedValues` does not hold: a secret or
 * Key Vault named value whose value is not at hand, or one that is not defined. APIM substitutes
 * named values into the policy text before reading it, so nothing of the document is decided.
 */
export class UnknownNamedValueError extends UnsupportedExpressionError {
  constructor(
    public readonly namedValue: string,
    context: string,
  ) {
    super(`{{${namedValue}}}`, context, `named value "${namedValue}" is not among request.namedValues: it may be secret, from Key Vault, or not defined`);
    this.name = 'UnknownNamedValueError';
  }
}
