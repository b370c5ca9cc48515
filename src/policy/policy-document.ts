import { element, PolicyElement } from './policy-element';
import { renderPolicyElement } from './policy-renderer';

export interface PolicyDocumentProps {
  /**
   * Statements of the inbound section, run before the request is forwarded.
   * @default - only `<base />`
   */
  readonly inbound?: PolicyElement[];
  /** Statements of the backend section. @default - only `<base />` */
  readonly backend?: PolicyElement[];
  /** Statements of the outbound section. @default - only `<base />` */
  readonly outbound?: PolicyElement[];
  /** Statements of the on-error section. @default - only `<base />` */
  readonly onError?: PolicyElement[];
  /**
   * Whether each section starts with `<base />`, which runs the policy of the enclosing scope
   * (product, global). Dropping it silently disables policies other teams rely on.
   * @default true
   */
  readonly inheritBase?: boolean;
}

/**
 * A complete APIM policy document: `<policies>` with the four sections. Statements from this
 * library go after `<base />`, so the enclosing scope's policy runs first.
 */
export class PolicyDocument {
  constructor(private readonly props: PolicyDocumentProps = {}) {}

  toElement(): PolicyElement {
    const base = this.props.inheritBase === false ? [] : [element('base')];
    const section = (name: string, statements: PolicyElement[] = []) => element(name, [], [...base, ...statements]);
    return element('policies', [], [
      section('inbound', this.props.inbound),
      section('backend', this.props.backend),
      section('outbound', this.props.outbound),
      section('on-error', this.props.onError),
    ]);
  }

  render(): string {
    return renderPolicyElement(this.toElement());
  }
}
