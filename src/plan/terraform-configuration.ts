import { createHash } from 'node:crypto';
import { CLAIMS_KEY } from './claims';
import { PlanIssue, PlanIssueKind } from './plan';
import { known, PlanValue, undecided } from './plan-value';
import { sideChannelOf } from './side-channels';
import { literalText } from './terraform-template';

/** The parts of a Terraform JSON configuration (cdk.tf.json, `stack.toTerraform()`) the reader uses. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/** One resource or data source block of the configuration. */
export interface ConfiguredResource {
  /** `type.name`, or `data.type.name` for a data source. */
  readonly address: string;
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Whether it exists: `count`/`for_each` can remove it or leave it open until apply. */
  readonly presence: PlanValue<boolean>;
  /** Its claims under `//` (per resource or per stack), raw. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** The per-resource and the stack-level claims both exist and differ. */
  readonly conflictingClaims: boolean;
}

/** Resources of a configuration by type and by address, in a stable order. */
export class TerraformConfiguration {
  public readonly issues: PlanIssue[] = [];
  private readonly byAddress = new Map<string, ConfiguredResource>();
  private readonly byType = new Map<string, ConfiguredResource[]>();

  constructor(json: unknown) {
    const root = isRecord(json) ? json : {};
    const stackClaims = isRecord(root['//']) && isRecord(root['//'][CLAIMS_KEY]) && isRecord(root['//'][CLAIMS_KEY].resources) ? root['//'][CLAIMS_KEY].resources : {};
    this.add(root.resource, '', stackClaims);
    this.add(root.data, 'data.', stackClaims);
    if (isRecord(root.module)) {
      for (const name of Object.keys(root.module).sort(compareText)) {
        this.issues.push({ address: `module.${name}`, reason: 'module', kind: PlanIssueKind.MODULE, fingerprint: fingerprintOf(root.module[name]) });
      }
    }
    for (const resources of this.byType.values()) {
      for (const resource of resources) {
        const reason = sideChannelOf(resource);
        if (reason !== undefined) this.issues.push({ address: resource.address, reason, kind: PlanIssueKind.SIDE_CHANNEL, fingerprint: fingerprintOf(resource.config) });
      }
    }
  }

  /** Resources (or data sources, with `data.` in front of the type) of one type, by name. */
  public all(type: string): readonly ConfiguredResource[] {
    return this.byType.get(type) ?? [];
  }

  public get(address: string): ConfiguredResource | undefined {
    return this.byAddress.get(address);
  }

  private add(section: unknown, prefix: string, stackClaims: Record<string, unknown>): void {
    if (!isRecord(section)) return;
    for (const type of Object.keys(section).sort(compareText)) {
      const blocks = section[type];
      if (!isRecord(blocks)) continue;
      const list: ConfiguredResource[] = [];
      for (const name of Object.keys(blocks).sort(compareText)) {
        const config = blocks[name];
        if (!isRecord(config)) continue;
        const address = `${prefix}${type}.${name}`;
        const own = isRecord(config['//']) && isRecord(config['//'][CLAIMS_KEY]) ? config['//'][CLAIMS_KEY] : undefined;
        const shared = isRecord(stackClaims[`${type}.${name}`]) ? (stackClaims[`${type}.${name}`] as Record<string, unknown>) : undefined;
        const resource: ConfiguredResource = {
          address,
          type: `${prefix}${type}`,
          config: withIgnoredChanges(config),
          presence: presenceOf(config),
          claims: own ?? shared,
          conflictingClaims: own !== undefined && shared !== undefined && JSON.stringify(own) !== JSON.stringify(shared),
        };
        list.push(resource);
        this.byAddress.set(address, resource);
      }
      this.byType.set(`${prefix}${type}`, list);
    }
  }
}

/** Stands for an attribute Terraform no longer updates: the value deployed stays, whatever is written. */
const IGNORED_CHANGES = '${lifecycle.ignore_changes}';

/** Attributes that name the resource (and meta-arguments): `ignore_changes = all` leaves them as written. */
const IDENTITY_ATTRIBUTES = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection', 'name', 'api_name', 'api_management_name', 'api_management_id', 'resource_group_name', 'product_id', 'operation_id']);

/**
 * The configuration as far as Terraform applies it: an attribute under
 * `lifecycle.ignore_changes` keeps whatever is deployed (drift included), so its written value
 * is replaced by a reference the resolver leaves undecided.
 */
function withIgnoredChanges(config: Record<string, unknown>): Record<string, unknown> {
  const lifecycle = isRecord(config.lifecycle) ? config.lifecycle : undefined;
  const ignored = lifecycle?.ignore_changes;
  if (ignored === undefined) return config;
  const all = ignored === 'all' || ignored === '${all}' || (Array.isArray(ignored) && ignored.includes('all'));
  const names = new Set(Array.isArray(ignored) ? ignored.filter((name): name is string => typeof name === 'string').map((name) => name.replace(/^\$\{(.*)\}$/, '$1').split(/[.[]/)[0]) : []);
  const effective: Record<string, unknown> = { ...config };
  for (const key of Object.keys(config)) {
    if ((all && !IDENTITY_ATTRIBUTES.has(key)) || names.has(key)) effective[key] = IGNORED_CHANGES;
  }
  return effective;
}

/** `count` 0/1 and a literal `for_each` of 0 or 1 entries decide existence; anything else is left to apply. */
function presenceOf(config: Record<string, unknown>): PlanValue<boolean> {
  if (config.count !== undefined) {
    const text = typeof config.count === 'number' ? String(config.count) : typeof config.count === 'string' ? literalText(config.count) : undefined;
    if (text === '0') return known(false);
    if (text === '1') return known(true);
    return undecided(`count = ${display(config.count)}`);
  }
  if (config.for_each !== undefined) {
    const value = config.for_each;
    // A literal map or set decides how many instances exist; one instance is the resource as written.
    const instances = Array.isArray(value) ? new Set(value.map((item) => JSON.stringify(item))).size : isRecord(value) ? Object.keys(value).length : undefined;
    if (instances === 0) return known(false);
    if (instances === 1) return known(true);
    return undecided(`for_each = ${display(value)}`);
  }
  return known(true);
}

/** A short digest of a block as written (keys sorted, so only a change of content changes it). */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .filter((key) => key !== '//')
      .sort(compareText)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A configuration value as it is written, for reasons and messages. */
export function display(value: unknown): string {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Locale-independent ordering, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The blocks of a nested block attribute, written as one object or a list of objects. */
export function blocksOf(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}
