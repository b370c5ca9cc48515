import { substituteNamedValues } from './named-values';
import { checkPolicyStructure } from './policy-catalogue';
import { PolicyXmlDocument, readPolicyXml } from './policy-xml-reader';
import { RunEnvironment } from './simulation-environment';
import { InvalidPolicyError } from './simulation-errors';

/* A policy document as APIM reads it: named values substituted, then parsed, then checked. */

export interface LoadedPolicy {
  readonly document: PolicyXmlDocument;
  /** Named values the text used. */
  readonly namedValues: readonly string[];
}

/**
 * Reads `text` in `format` (the request's unless given). `pathPrefix` goes in front of every element path;
 * `root` is the element the document must have (`policies` or `fragment`); `what` names the
 * document in messages.
 */
export function loadPolicy(text: string, env: RunEnvironment, pathPrefix: string, root: 'policies' | 'fragment', what: string, format = env.format): LoadedPolicy {
  const substituted = substituteNamedValues(text, env.namedValues);
  const document = readPolicyXml(substituted.text, format, pathPrefix);
  if (document.root.name !== root) throw new InvalidPolicyError(`${what} must have the root element <${root}>, not <${document.root.name}>`);
  checkPolicyStructure(document.root);
  return { document, namedValues: substituted.used };
}
