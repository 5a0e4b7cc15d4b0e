// The Exchange attributes a retained group loses when dispose mail-disables and stamps it, written back to their
// captured values (or cleared where the capture had none). Used by restore (after the point of no return) and by
// dispose's own undo (a dispose that failed half-way, before the point of no return).
import {
  EXTENSION_ATTRIBUTES,
  MAIL_DISABLE_ATTRIBUTES,
  MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES,
  type ActiveDirectory,
  type AdGroup,
  type AttributeChange,
} from '@dlmigrate/ad';

/** Attributes a migration changes on a retained group; restore writes each back to its captured value (or clears it). */
const RESTORED_ATTRIBUTES = [
  ...new Set([...MAIL_DISABLE_ATTRIBUTES, ...MODERN_ONLY_MAIL_DISABLE_ATTRIBUTES, ...EXTENSION_ATTRIBUTES]),
];

export function captured(raw: Record<string, string[]>, attribute: string): string[] {
  const key = Object.keys(raw).find((k) => k.toLowerCase() === attribute.toLowerCase());
  return key === undefined ? [] : (raw[key] ?? []);
}

/** One replace per restored attribute the directory's schema has, with the value captured before the migration. */
export async function capturedAttributeChanges(
  ad: ActiveDirectory,
  group: AdGroup,
): Promise<AttributeChange[]> {
  const schema = await ad.schema();
  const present = new Set((await schema.present(RESTORED_ATTRIBUTES)).map((a) => a.toLowerCase()));
  return RESTORED_ATTRIBUTES.filter((a) => present.has(a.toLowerCase())).map((attribute) => ({
    operation: 'replace',
    attribute,
    values: captured(group.raw, attribute),
  }));
}
