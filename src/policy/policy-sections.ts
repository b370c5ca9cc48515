import { PolicyElement } from './policy-element';

/** The four sections of a policy document, as APIM runs them. */
export enum PolicySectionName {
  INBOUND = 'inbound',
  BACKEND = 'backend',
  OUTBOUND = 'outbound',
  ON_ERROR = 'on-error',
}

export const POLICY_SECTION_NAMES: readonly PolicySectionName[] = [
  PolicySectionName.INBOUND,
  PolicySectionName.BACKEND,
  PolicySectionName.OUTBOUND,
  PolicySectionName.ON_ERROR,
];

/** One section's statements, split where `<base />` runs the enclosing scope's section. */
export interface PolicySection {
  /** Statements before `<base />`, run before the enclosing scopes. */
  readonly beforeBase: readonly PolicyElement[];
  /** Statements after `<base />` (all of them when there is no `<base />`). */
  readonly afterBase: readonly PolicyElement[];
  /** Whether the section runs the enclosing scope's section (`<base />`). */
  readonly inheritsBase: boolean;
}

/** Sections a policy gives; a section left out is `<base />` alone. */
export type PolicySections = Readonly<Partial<Record<PolicySectionName, PolicySection>>>;
