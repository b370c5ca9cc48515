import { IConstruct } from 'constructs';

/**
 * A configuration mistake found at synth time. The message starts with the construct path so a
 * user of a large stack knows which construct to fix.
 */
export class ConstructConfigurationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'ConstructConfigurationError';
  }
}

/** Runs `fn` and re-throws any error it raises as a ConstructConfigurationError for `scope`. */
export function attributeErrorsTo<T>(scope: IConstruct, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ConstructConfigurationError) throw error;
    throw new ConstructConfigurationError(scope, error instanceof Error ? error.message : String(error));
  }
}
