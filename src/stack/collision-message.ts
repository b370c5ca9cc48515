import { Collision, CollisionKind } from './collisions';

const WHAT: Readonly<Record<CollisionKind, { readonly claim: (c: Collision) => string; readonly fix: string }>> = {
  [CollisionKind.API_PATH]: {
    claim: (c) => `two APIs answer path "${c.name}"`,
    fix: 'API Management routes a path (compared without case) to one API, so the second fails at apply. Give one of them another path, or make them versions of one API (a version set)',
  },
  [CollisionKind.API]: { claim: (c) => `two resources define API "${c.name}"`, fix: 'the second would overwrite the first. Keep one' },
  [CollisionKind.CERTIFICATE]: { claim: (c) => `two certificates are named "${c.name}"`, fix: 'the second would replace the first. Give one of them another name' },
  [CollisionKind.BACKEND]: { claim: (c) => `two backends are named "${c.name}"`, fix: 'the second would replace the first. Give one of them another name' },
  [CollisionKind.PRODUCT]: { claim: (c) => `two products have id "${c.name}"`, fix: 'the second would replace the first. Give one of them another id' },
  [CollisionKind.OPERATION]: { claim: (c) => `two operations have id "${c.name}"`, fix: 'the second would replace the first. Give one of them another operation id' },
  [CollisionKind.API_POLICY]: {
    claim: (c) => `two policies are written for API "${c.name}"`,
    fix: 'API Management keeps one policy per API, so whichever applies last silently replaces the other, gate included. Keep one: put your statements in the gate\'s customPolicy',
  },
  [CollisionKind.PRODUCT_POLICY]: {
    claim: (c) => `two policies are written for product "${c.name}"`,
    fix: 'API Management keeps one policy per product, so whichever applies last silently replaces the other, gate included. Keep one: put your statements in the gate\'s customPolicy',
  },
  [CollisionKind.OPERATION_POLICY]: {
    claim: (c) => `two policies are written for operation "${c.name}"`,
    fix: 'API Management keeps one policy per operation, so whichever applies last silently replaces the other. Keep one',
  },
  [CollisionKind.GLOBAL_POLICY]: {
    claim: () => 'two global (all APIs) policies are written',
    fix: 'API Management keeps one global policy, so whichever applies last silently replaces the other, gate included. Keep one: put your statements in the gate\'s customPolicy',
  },
};

/** The error for a collision, naming both constructs (or Terraform addresses when no construct is known). */
export function collisionMessage(collision: Collision, constructPathOf: (address: string) => string | undefined): string {
  const name = (address: string) => {
    const path = constructPathOf(address);
    return path === undefined ? address : `${path} (${address})`;
  };
  const what = WHAT[collision.kind];
  return `${what.claim(collision)} on service "${collision.service}": ${name(collision.first)} and ${name(collision.second)}. ${what.fix}.`;
}
