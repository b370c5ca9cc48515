import { PolicyAttribute, PolicyElement, PolicyValue, verbatim } from './policy-element';
import { isPolicyExpression } from './policy-renderer';
import { POLICY_SECTION_NAMES, PolicySection, PolicySectionName, PolicySections } from './policy-sections';
import { PolicyXmlElement, readPolicyXml } from './simulator/policy-xml-reader';

/** Thrown for a user's policy text that cannot be read or placed around a gate. */
export class InvalidCustomPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCustomPolicyError';
  }
}

const POLICY_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Reads a `<policies>` document written by a user into sections of policy elements. Values keep
 * their meaning as APIM reads them (entities decoded; expressions as written) and are rendered
 * again by the one renderer, which checks that each reads the same as XML and as azurerm's
 * rawxml. Comments are not kept.
 */
export function policySectionsFromXml(xml: string): PolicySections {
  if (typeof xml !== 'string' || xml.trim() === '') throw new InvalidCustomPolicyError('is empty. Give a <policies> document.');
  let root: PolicyXmlElement;
  try {
    root = readPolicyXml(xml.replace(/\r\n/g, '\n')).root;
  } catch (error) {
    throw new InvalidCustomPolicyError(`cannot be read: ${(error as Error).message}.`);
  }
  if (root.name !== 'policies') {
    throw new InvalidCustomPolicyError(
      `has the root element <${root.name}>. Give a whole <policies> document with the sections you need, e.g. <policies><inbound><base />…</inbound></policies>.`,
    );
  }
  if (root.attributes.length > 0 || root.text.trim() !== '') throw new InvalidCustomPolicyError('<policies> takes neither attributes nor text, only sections.');
  const sections: Partial<Record<PolicySectionName, PolicySection>> = {};
  for (const child of root.children) {
    const name = POLICY_SECTION_NAMES.find((section) => section === child.name);
    if (!name) {
      throw new InvalidCustomPolicyError(`<policies> contains <${child.name}> (line ${child.line}); its sections are ${POLICY_SECTION_NAMES.map((n) => `<${n}>`).join(', ')}.`);
    }
    if (sections[name]) throw new InvalidCustomPolicyError(`<policies> contains <${name}> twice (line ${child.line}). Merge them into one.`);
    sections[name] = sectionOf(child);
  }
  return sections;
}

function sectionOf(section: PolicyXmlElement): PolicySection {
  if (section.attributes.length > 0 || section.text.trim() !== '') {
    throw new InvalidCustomPolicyError(`<${section.name}> (line ${section.line}) takes neither attributes nor text, only statements.`);
  }
  const bases = section.children.filter((child) => child.name === 'base');
  if (bases.length > 1) throw new InvalidCustomPolicyError(`<${section.name}> contains <base /> ${bases.length} times (line ${bases[1].line}); keep one.`);
  const baseIndex = section.children.findIndex((child) => child.name === 'base');
  const statements = section.children.map((child) => (child.name === 'base' ? undefined : statementOf(child)));
  const before = baseIndex < 0 ? [] : statements.slice(0, baseIndex);
  const after = baseIndex < 0 ? statements : statements.slice(baseIndex + 1);
  return {
    beforeBase: before.filter((s): s is PolicyElement => s !== undefined),
    afterBase: after.filter((s): s is PolicyElement => s !== undefined),
    inheritsBase: baseIndex >= 0,
  };
}

function statementOf(xml: PolicyXmlElement): PolicyElement {
  if (!POLICY_NAME.test(xml.name)) {
    throw new InvalidCustomPolicyError(`<${xml.name}> (line ${xml.line}) is not a policy element name: policies use lower-case names such as <set-header>.`);
  }
  if (xml.name === 'base') {
    throw new InvalidCustomPolicyError(`<base /> (line ${xml.line}) must be a direct child of its section, not nested inside another statement.`);
  }
  const attributes: PolicyAttribute[] = xml.attributes.map((attribute) => {
    if (!POLICY_NAME.test(attribute.name)) {
      throw new InvalidCustomPolicyError(`attribute ${attribute.name} of <${xml.name}> (line ${xml.line}) is not a policy attribute name.`);
    }
    return { name: attribute.name, value: verbatim(attribute.value) };
  });
  const text = contentText(xml);
  if (text !== undefined && xml.children.length > 0) {
    throw new InvalidCustomPolicyError(`<${xml.name}> (line ${xml.line}) mixes text and elements; policies put either text or elements inside a statement.`);
  }
  return { name: xml.name, attributes, children: xml.children.map(statementOf), text };
}

/** The element's text as APIM reads it, or undefined when there is only whitespace. */
function contentText(xml: PolicyXmlElement): PolicyValue | undefined {
  if (xml.text.trim() === '') return undefined;
  // Whitespace around a whole expression means nothing; around plain text it is content.
  const trimmed = xml.text.trim();
  return verbatim(isPolicyExpression(trimmed) ? trimmed : xml.text);
}
