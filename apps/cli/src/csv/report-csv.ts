// `report --csv`: one row per finding and per change of the report.
import type { Report } from '@dlmigrate/core';
import { REPORT_COLUMNS, reportRows } from './tables.js';
import { writeCsvFile } from './write.js';

export function writeReportCsv(file: string, cwd: string, report: Report): string {
  return writeCsvFile(file, cwd, REPORT_COLUMNS, reportRows(report));
}
