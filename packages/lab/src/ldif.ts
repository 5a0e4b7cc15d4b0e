// LDIF (RFC 2849) records for Samba's ldb tools: adds and attribute replacements. A value that is not a "safe
// string" (non-ASCII, leading space, colon or '<', trailing space, control characters) goes base64-encoded after
// a double colon, so names like `Zürich, R&D` or `O'Brien "Team"` survive unchanged.

/** RFC 2849 SAFE-STRING: ASCII without NUL, LF and CR, not starting with space, ':' or '<'; no trailing space. */
function isSafe(value: string): boolean {
  if (value.startsWith(' ') || value.startsWith(':') || value.startsWith('<') || value.endsWith(' '))
    return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13 || c > 127) return false;
  }
  return true;
}

function line(name: string, value: string): string {
  if (value.length === 0) return `${name}:`;
  if (isSafe(value)) return `${name}: ${value}`;
  return `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

/** An add record: the DN, then every value of every attribute in order. */
export function addRecord(dn: string, attributes: Record<string, readonly string[]>): string {
  const lines = [line('dn', dn)];
  for (const [name, values] of Object.entries(attributes)) for (const v of values) lines.push(line(name, v));
  return `${lines.join('\n')}\n`;
}

/** A modify record replacing each attribute given with exactly the values given. */
export function replaceRecord(dn: string, attributes: Record<string, readonly string[]>): string {
  const lines = [line('dn', dn), 'changetype: modify'];
  for (const [name, values] of Object.entries(attributes)) {
    lines.push(`replace: ${name}`);
    for (const v of values) lines.push(line(name, v));
    lines.push('-');
  }
  return `${lines.join('\n')}\n`;
}
