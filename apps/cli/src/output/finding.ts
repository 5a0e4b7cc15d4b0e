// A migration's status and a finding on a terminal line. A finding: its severity as the line's mark, its code and subject as the title, its message as the
// detail. The message says what it is about in full (verify's "cloud: Name should hold Sales; it holds nothing"), so
// the finding's attribute is not put in front of it again.
import type { FindingRecord, MigrationStatus, Severity } from '@dlmigrate/state';
import type { Status } from './output.js';

/**
 * The mark of a migration's line (status, batch): completed succeeds, a rollback or warnings warn, a failure, a block or
 * an undo left half-done fails; an open migration informs.
 */
export function migrationStatusMark(status: MigrationStatus): Status {
  if (status === 'completed') return 'ok';
  if (status === 'completed_with_warnings' || status === 'rolled_back') return 'warn';
  if (status === 'failed' || status === 'blocked' || status === 'undo_failed') return 'fail';
  return 'info';
}

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
