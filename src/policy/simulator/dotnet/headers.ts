import { argumentNull, invoke, Library, MemberSite, OUT_ARGUMENT, stringKeyIndexer, takes } from '../csharp/members';
import { isAssignable } from '../csharp/types';
import { CsValue, Env } from '../csharp/values';
import { headerKey } from './text-rules';

/*
 * `context.Request.Headers`: IReadOnlyDictionary<string, string[]>, names compared without
 * regard to case. Gateways in front of APIM (Application Gateway, Front Door, App Service)
 * forward a client certificate or its thumbprint this way.
 */

function valuesOf(env: Env, name: CsValue, site: MemberSite): readonly string[] | undefined {
  if (name === null) throw argumentNull(site, 'key');
  const key = headerKey(name as string);
  env.host.onRequestHeaderRead?.(key);
  return env.host.requestHeaders?.get(key);
}

export const HEADERS: Library = {
  members: (type) =>
    type !== 'IReadOnlyDictionary<string, string[]>'
      ? undefined
      : {
          indexer: stringKeyIndexer('string[]', (name, _receiver, env, site) => {
            const values = valuesOf(env, name, site);
            return values && { value: values };
          }),
          methods: {
            /** APIM's own extension: the values joined with commas, or the default. */
            GetValueOrDefault: (site) =>
              takes(site, 'string', 'string')
                ? invoke(site, 'string', (_receiver, [name, fallback], env) => {
                    const values = valuesOf(env, name, site);
                    if (!values) return fallback;
                    if (values.length !== 1) throw site.unsupportedValue('joining several values of one header: the separator APIM uses is not documented');
                    return values[0];
                  })
                : undefined,
            ContainsKey: (site) => (takes(site, 'string') ? invoke(site, 'bool', (_receiver, [name], env) => valuesOf(env, name, site) !== undefined) : undefined),
            TryGetValue: (site) => {
              if (site.argTypes.length !== 2 || !isAssignable(site.argTypes[0], 'string') || site.argTypes[1] !== OUT_ARGUMENT) return undefined;
              const name = site.arg(0);
              const slot = site.out(1, 'string[]');
              return {
                type: 'bool',
                run: (env) => {
                  site.receiver(env);
                  const values = valuesOf(env, name.run(env), site);
                  slot.assign(env, values ?? null);
                  return values !== undefined;
                },
              };
            },
          },
        },
};
