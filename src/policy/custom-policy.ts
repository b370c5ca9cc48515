import { readFileSync } from 'node:fs';
import { PolicyElement } from './policy-element';
import { PolicySectionName, PolicySections } from './policy-sections';
import { InvalidCustomPolicyError, policySectionsFromXml } from './policy-xml-sections';

/** Statements of your own, each section's run after `<base />` (and in `<inbound>` after the gate). */
export interface CustomPolicyStatements {
  /**
   * Inbound statements, run after the client-certificate gate (rate limits, headers, rewrites…).
   * @default - none
   */
  readonly inbound?: PolicyElement[];
  /**
   * Backend section statements, e.g. `forward-request` with a timeout.
   * @default - none: the enclosing scope's backend section
   */
  readonly backend?: PolicyElement[];
  /**
   * Outbound statements, run on the response.
   * @default - none
   */
  readonly outbound?: PolicyElement[];
  /**
   * On-error statements, run when a statement fails (including a rejection by
   * `validate-client-certificate`).
   * @default - none
   */
  readonly onError?: PolicyElement[];
}

/**
 * Your own policy around a client-certificate gate: rate limits, headers, transformations,
 * backend, outbound and on-error handling. The gate always runs first after `<base />` in
 * `<inbound>`; the library renders everything with its one renderer.
 *
 * Given as XML, the document is read and checked when the gate is built: it must be well-formed,
 * every expression must read the same as XML and as azurerm's rawxml, nothing may hold Terraform
 * interpolation (`${`, `%{`), every section you write must keep `<base />`, and before `<base />`
 * in `<inbound>` only statements that cannot answer or forward a request are allowed (see
 * `STATEMENTS_ALLOWED_BEFORE_GATE`).
 */
export class CustomPolicy {
  /** Typed statements; each section's run after `<base />`, inbound ones after the gate. */
  public static fromStatements(statements: CustomPolicyStatements): CustomPolicy {
    const after = (list: PolicyElement[] | undefined) => (list && list.length > 0 ? { beforeBase: [], afterBase: [...list], inheritsBase: true } : undefined);
    return new CustomPolicy('customPolicy (statements)', () => ({
      [PolicySectionName.INBOUND]: after(statements.inbound),
      [PolicySectionName.BACKEND]: after(statements.backend),
      [PolicySectionName.OUTBOUND]: after(statements.outbound),
      [PolicySectionName.ON_ERROR]: after(statements.onError),
    }));
  }

  /**
   * A `<policies>` document as you would paste it into the portal, with `<base />` where the
   * enclosing scopes run. Sections you leave out are `<base />` alone. The gate is inserted right
   * after `<base />` in `<inbound>`. Comments are not kept.
   */
  public static fromXml(xml: string): CustomPolicy {
    return new CustomPolicy('customPolicy (XML)', () => policySectionsFromXml(xml));
  }

  /** Like `fromXml`, read from a file at synth (relative paths from the directory cdktf runs the app in). */
  public static fromXmlFile(path: string): CustomPolicy {
    return new CustomPolicy(`customPolicy (file ${JSON.stringify(path)})`, () => {
      let xml: string;
      try {
        xml = readFileSync(path, 'utf8');
      } catch (error) {
        throw new InvalidCustomPolicyError(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Check the path.`);
      }
      return policySectionsFromXml(xml);
    });
  }

  private read?: PolicySections;

  private constructor(
    /** What the policy came from, for messages. */
    private readonly origin: string,
    private readonly reader: () => PolicySections,
  ) {}

  /**
   * The sections, read on first use so that errors name the construct that uses the policy.
   * @internal
   */
  public sections(): PolicySections {
    if (!this.read) {
      try {
        this.read = this.reader();
      } catch (error) {
        if (error instanceof InvalidCustomPolicyError) throw new InvalidCustomPolicyError(`${this.origin}: ${error.message}`);
        throw error;
      }
    }
    return this.read;
  }
}
