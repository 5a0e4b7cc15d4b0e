// docs/errors.md, written from the code tables of every package (packages/core/scripts/errors-doc.ts writes the file;
// packages/core/src/errors/docs.test.ts fails when the checked-in file no longer matches the tables).
import { AD_ERROR_CODES } from '@dlmigrate/ad';
import { EXO_ERROR_CODES } from '@dlmigrate/exo';
import { STATE_ERROR_CODES } from '@dlmigrate/state';
import { isFindingCode } from '../findings/catalogue.js';
import { CORE_ERROR_CODES, type ErrorCodeEntry } from './codes.js';

export interface ErrorCodeSection {
  readonly title: string;
  /** Which errors carry these codes, and where they come from. */
  readonly about: string;
  readonly codes: Readonly<Record<string, ErrorCodeEntry>>;
}

export const ERROR_CODE_SECTIONS: readonly ErrorCodeSection[] = [
  {
    title: 'Engine, batches, sync trigger, files (core)',
    about:
      '`CoreError` and its subclasses (`SyncTriggerError`, `CsvError`, `UnsafeFileError`, `HostKeyPinError`, `BatchInputError`); table in `packages/core/src/errors/codes.ts`. A run stopped by findings raises `FindingsError`, whose code is the finding code (see the report) or `BLOCKED`.',
    codes: CORE_ERROR_CODES,
  },
  {
    title: 'Active Directory (ad)',
    about: '`AdError`; table in `packages/ad/src/errors.ts`.',
    codes: AD_ERROR_CODES,
  },
  {
    title: 'Exchange Online, Microsoft Graph, sign-in (exo)',
    about:
      "`ExoError` and its subclasses (classified by the exception type Exchange reports), `ExoNoResultError` and `ExoUnknownRecipientTypeError` (no refusal by the service, so no `ExoError`), `CloudAuthError` (token endpoint), `CertificateError`, `GraphRequestError` (Graph's own code in `graphCode`), `UnknownCloudError`, `HttpNetworkError`, `HttpTimeoutError`, `HttpUnsupportedSchemeError`; table in `packages/exo/src/error-codes.ts`.",
    codes: EXO_ERROR_CODES,
  },
  {
    title: 'State store (state)',
    about: '`StateError` and its subclasses; table in `packages/state/src/errors.ts`.',
    codes: STATE_ERROR_CODES,
  },
];

/** True for a code of one of the tables above, or a finding code (a FindingsError's code). */
export function isErrorCode(code: string): boolean {
  return isFindingCode(code) || ERROR_CODE_SECTIONS.some((s) => Object.hasOwn(s.codes, code));
}

export function renderErrorDocs(sections: readonly ErrorCodeSection[] = ERROR_CODE_SECTIONS): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Written by packages/core/scripts/errors-doc.ts from the code tables; do not edit by hand (pnpm docs:errors). -->',
    '',
    'Every error dlmigrate raises on purpose carries a stable `code`. The command line prints it after the',
    'message (`error: … [CODE]`, and `"code"` in `--json` output); scripts branch on the code, never on the',
    'text. Codes are never renamed, only added.',
  ];
  for (const section of sections) {
    lines.push(
      '',
      `## ${section.title}`,
      '',
      section.about,
      '',
      '| code | what it means | what to do |',
      '|---|---|---|',
    );
    for (const [code, entry] of Object.entries(section.codes)) {
      lines.push(`| \`${code}\` | ${cell(entry.means)} | ${cell(entry.action)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
