import { createHash } from 'node:crypto';
import { PlanSymbol, PlanSymbolKind } from './plan';

/*
 * Placeholders stand for values only Terraform knows. They are derived from what they stand
 * for (an expression, a certificate address), so the same configuration always gets the same
 * placeholders, and two different things never share one.
 */
export class Placeholders {
  private readonly byValue = new Map<string, PlanSymbol>();

  /** A 40-digit thumbprint for `standsFor`. */
  public thumbprint(kind: PlanSymbolKind, standsFor: string): string {
    const value = digest(`${kind}\u0000${standsFor}`).slice(0, 40).toUpperCase();
    this.byValue.set(value, { value, kind, standsFor });
    return value;
  }

  /** An https URL on a reserved `.invalid` host for a guarded URL `standsFor`. */
  public url(standsFor: string): string {
    const value = `https://guarded-${digest(`url\u0000${standsFor}`).slice(0, 12)}.invalid`;
    this.byValue.set(value, { value, kind: PlanSymbolKind.GUARDED_URL, standsFor });
    return value;
  }

  public symbols(): PlanSymbol[] {
    return [...this.byValue.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
