import type { Severity } from '@dlmigrate/state';
import { actionFor, severityOf, type FindingCode } from './catalogue.js';

/** One problem or remark about one object, as it appears in plans, journals and reports. */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** The object it concerns: an address, a DN, or a group in a batch. */
  readonly subject: string;
  /** What exactly is wrong, in words specific to this case. */
  readonly message: string;
  /** What to do about it (from the catalogue). */
  readonly action: string;
  /** Which on-prem attribute or cloud property the object was found in, when that matters. */
  readonly attribute?: string;
}

export function finding(code: FindingCode, subject: string, message: string, attribute?: string): Finding {
  const base = { code, severity: severityOf(code), subject, message, action: actionFor(code) };
  return attribute === undefined ? base : { ...base, attribute };
}

export function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'blocking');
}

/** Raised when a run must stop because of findings; carries all of them (never just the first). */
export class FindingsError extends Error {
  readonly findings: readonly Finding[];
  /** The finding's code when there is one, else BLOCKED (journaled with the failure). */
  readonly code: string;
  constructor(findings: readonly Finding[]) {
    super(findings.map((f) => `${f.code}: ${f.subject}: ${f.message}`).join('\n') || 'blocked');
    this.name = 'FindingsError';
    this.findings = findings;
    this.code = findings.length === 1 ? findings[0]!.code : 'BLOCKED';
  }
}
