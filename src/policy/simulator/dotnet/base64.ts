import { invoke, Library, takes } from '../csharp/members';
import { staticType } from '../csharp/types';
import { BytesValue, HOST_OBJECT } from '../csharp/values';

/* `Convert.FromBase64String`, with .NET's strictness (Node's decoder skips what .NET refuses). */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const BASE_64: Library = {
  members: (type) =>
    type === staticType('Convert')
      ? {
          methods: {
            FromBase64String: (site) =>
              takes(site, 'string')
                ? invoke(site, 'byte[]', (_receiver, [value]) => {
                    if (value === null) throw site.exception('ArgumentNullException', "Value cannot be null. (Parameter 's')");
                    // .NET skips white space anywhere, then needs whole groups of four.
                    const compact = (value as string).replace(/[ \t\r\n]/g, '');
                    if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
                      throw site.exception(
                        'FormatException',
                        'The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters.',
                      );
                    }
                    return new BytesValue(Buffer.from(compact, 'base64'));
                  })
                : undefined,
          },
        }
      : undefined,
  globals: { Convert: { type: staticType('Convert'), value: () => HOST_OBJECT } },
};
