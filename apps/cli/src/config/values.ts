// Validators for the value kinds the configuration is made of. Each says what a good value looks like,
// because the administrator reading the error has to fix it without reading our code.
import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

export const guid = z.string().regex(GUID, 'must be a GUID like 00000000-0000-0000-0000-000000000000');

export const domainName = z
  .string()
  .regex(DOMAIN, 'must be a DNS domain name like contoso.mail.onmicrosoft.com');

/** A tenant is named by its GUID or by one of its domains (contoso.onmicrosoft.com). */
export const tenantId = z
  .string()
  .refine(
    (v) => GUID.test(v) || DOMAIN.test(v),
    'must be the tenant GUID or its contoso.onmicrosoft.com domain',
  );

export const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const filePath = nonEmpty.refine((v) => !v.includes('\0'), 'must be a file path');

/** ldaps://host[:port] or ldap://host[:port] (the latter only with StartTLS, checked by the schema). */
export const ldapUrl = z.string().refine((v) => {
  try {
    const url = new URL(v);
    return (
      (url.protocol === 'ldaps:' || url.protocol === 'ldap:') &&
      url.hostname !== '' &&
      url.pathname.length <= 1
    );
  } catch {
    return false;
  }
}, 'must be an LDAP URL like ldaps://dc1.contoso.com:636');

export const httpUrl = z.string().refine((v) => {
  try {
    const url = new URL(v);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

/**
 * A distinguished name, e.g. OU=Not Synced,DC=contoso,DC=com. Characters that RFC 4514 makes special
 * inside a value (, + " \ < > ; =) must be escaped with a backslash; an unescaped one almost always means
 * a typo or an attempt to smuggle a second component in, so we refuse it rather than guess.
 */
export const distinguishedName = z.string().refine(isDistinguishedName, {
  message:
    'must be a distinguished name like OU=Not Synced,DC=contoso,DC=com (escape , + " \\ < > ; = in values with a backslash)',
});

export function isDistinguishedName(value: string): boolean {
  if (value.trim() === '' || /[\0\r\n]/.test(value)) return false;
  return splitUnescaped(value, ',').every((rdn) =>
    splitUnescaped(rdn, '+').every((ava) => {
      const eq = ava.indexOf('=');
      if (eq <= 0) return false;
      const type = ava.slice(0, eq).trim();
      const attrValue = ava.slice(eq + 1).trim();
      return /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/.test(type) && isEscapedValue(attrValue);
    }),
  );
}

function isEscapedValue(value: string): boolean {
  if (value === '') return false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\') {
      const next = value.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(next)) i += 2;
      else if (next !== '' && ',+"\\<>;= #'.includes(next[0]!)) i += 1;
      else return false;
    } else if (',+"<>;='.includes(ch)) {
      return false;
    }
  }
  return true;
}

function splitUnescaped(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length) {
      current += ch + value[i + 1]!;
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
