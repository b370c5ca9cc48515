/** @internal */
export enum IdentityKind {
  SYSTEM = 'SystemAssigned',
  USER = 'UserAssigned',
  SYSTEM_AND_USER = 'SystemAssigned, UserAssigned',
}

/**
 * The managed identities of an API Management service (azurerm's `identity` block), e.g. to read
 * Key Vault certificates. Whatever you choose, the service also gets its system-assigned
 * identity when a Key Vault certificate of this library needs it (the only one that works behind
 * the Key Vault firewall), with an info saying so.
 */
export class ServiceIdentity {
  /** The service's own identity (`SystemAssigned`). */
  public static systemAssigned(): ServiceIdentity {
    return new ServiceIdentity(IdentityKind.SYSTEM, []);
  }

  /** User-assigned identities, by their resource ids (`UserAssigned`). */
  public static userAssigned(identityIds: string[]): ServiceIdentity {
    return new ServiceIdentity(IdentityKind.USER, [...identityIds]);
  }

  /** Both the service's own identity and user-assigned ones (`SystemAssigned, UserAssigned`). */
  public static systemAndUserAssigned(identityIds: string[]): ServiceIdentity {
    return new ServiceIdentity(IdentityKind.SYSTEM_AND_USER, [...identityIds]);
  }

  private constructor(
    /** @internal */ public readonly kind: IdentityKind,
    /** @internal */ public readonly identityIds: readonly string[],
  ) {}

  /** Why the identity cannot be used, or undefined. @internal */
  public problem(): string | undefined {
    if (this.kind !== IdentityKind.SYSTEM && this.identityIds.length === 0) {
      return 'identity names no user-assigned identity. Pass their resource ids, or use ServiceIdentity.systemAssigned()';
    }
    return undefined;
  }
}

/** The identity type with the system-assigned identity added. */
export function withSystemAssigned(type: string | undefined): string {
  return type === IdentityKind.USER || type === IdentityKind.SYSTEM_AND_USER ? IdentityKind.SYSTEM_AND_USER : IdentityKind.SYSTEM;
}
