import { DISABLE_STACK_TRACE_IN_METADATA } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Keeps the warnings and infos our constructs add free of stack traces. cdktf writes those
 * traces into manifest.json with absolute file paths, which would make the synthesized output
 * differ between machines and checkouts. Call first in a constructor, before any child exists.
 */
export function useReproducibleAnnotations(scope: Construct): void {
  scope.node.setContext(DISABLE_STACK_TRACE_IN_METADATA, true);
}
