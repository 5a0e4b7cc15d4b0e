import { describe, expect, it } from 'vitest';
import { filterNames, opathLiterals, replaceFilterLiteral } from './filter-literals.js';

const dn =
  'CN=Sales,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM';

describe('OPATH literals of a stored filter', () => {
  it('reads single- and double-quoted values with their escapes', () => {
    expect(
      opathLiterals(`(Name -eq 'O''Brien') -and (Department -eq "say ""hi"" ")`).map((l) => l.value),
    ).toEqual(["O'Brien", 'say "hi" ']);
    expect(opathLiterals('Name -eq "a`"b"').map((l) => l.value)).toEqual(['a"b']);
    expect(opathLiterals("Name -eq 'unterminated")).toEqual([]);
  });

  it('finds a DN case-insensitively and replaces exactly that literal', () => {
    const filter = `((RecipientType -eq 'UserMailbox') -and (MemberOfGroup -eq '${dn.toLowerCase()}'))`;
    expect(filterNames(filter, [dn])).toBe(true);
    expect(filterNames(filter, ['CN=Other'])).toBe(false);
    const next = "CN=Sales O'Neil,OU=contoso.onmicrosoft.com";
    expect(replaceFilterLiteral(filter, [dn], next)).toBe(
      `((RecipientType -eq 'UserMailbox') -and (MemberOfGroup -eq 'CN=Sales O''Neil,OU=contoso.onmicrosoft.com'))`,
    );
    expect(replaceFilterLiteral(filter, ['CN=Other'], next)).toBe(filter);
  });
});
