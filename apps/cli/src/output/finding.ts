// A finding on a terminal line (a migration's status is marked by core's migrationStatusMark): its severity as the line's mark, its code and subject as the title, its message as the
// detail. The message says what it is about in full (verify's "cloud: Name should hold Sales; it holds nothing"), so
// the finding's attribute is not put in front of it again.
import type { FindingRecord, Severity } from '@dlmigrate/state';
import type { Status } from './output.js';

/** The mark of a finding's line: blocking fails, needs-action warns, info informs. */
export function severityStatus(severity: Severity): Status {
  return severity === 'blocking' ? 'fail' : severity === 'needs-action' ? 'warn' : 'info';
}

/** A stored finding (status, verify) as the arguments of Output.status. */
export function findingLine(
  f: Pick<FindingRecord, 'severity' | 'code' | 'subject' | 'message'>,
): [status: Status, title: string, detail: string] {
  return [severityStatus(f.severity), `${f.code}  ${f.subject ?? ''}`, f.message];
}
