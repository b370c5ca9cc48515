/**
 * A synthesized directory that cannot be reviewed: missing, not a cdktf output, or malformed.
 * The message is one line that names the path; the CLI prints it and exits with status 2.
 */
export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewInputError';
  }
}
