// A batch report as the engine writes it, with names chosen to break naive HTML and LDAP handling.
export const HOSTILE_NAME = `Sales <script>alert("x")</script> & "Friends" 'Co'`;

export const migration = {
  kind: 'migration',
  id: '01JDLMIGRATE0000000000001',
  group: { address: 'sales@contoso.com', displayName: HOSTILE_NAME },
  strategy: 'recreate',
  status: 'completed_with_warnings',
  startedAt: '2026-11-22T03:00:00.000Z',
  finishedAt: '2026-11-22T03:04:00.000Z',
  steps: [
    { name: 'capture', status: 'completed', at: '2026-11-22T03:00:01.000Z' },
    { name: 'take-over', status: 'completed', detail: 'addresses verified after 2 polls' },
    {
      name: 'rewire cloud',
      status: 'failed',
      detail: 'Add-RecipientPermission refused <img src=x onerror=alert(1)>',
    },
  ],
  changes: [
    {
      side: 'cloud',
      object: HOSTILE_NAME,
      attribute: 'EmailAddresses',
      before: null,
      after: [
        'SMTP:sales@contoso.com',
        'smtp:sales@contoso.mail.onmicrosoft.com',
        'X500:/o=Contoso/ou=Exchange/cn=Recipients/cn=sales',
      ],
    },
    {
      side: 'on-premises',
      object: 'CN=Sales,OU=Groups,DC=contoso,DC=com',
      attribute: 'displayName',
      before: 'Sales',
      after: '!Sales',
    },
  ],
  findings: [
    {
      code: 'CLOUD_REWIRE_FAILED',
      severity: 'needs-action',
      subject: 'mailbox ceo@contoso.com',
      message: 'SendAs for </td></tr></table><a href="http://evil.example">click</a> could not be moved',
      action: 'A cloud object or permission could not be moved to the new group; apply it by hand.',
      attribute: 'SendAs',
    },
    {
      code: 'RETENTION_FORCED',
      severity: 'info',
      subject: 'sales@contoso.com',
      message: 'the group grants NTFS permissions',
      action: 'Retained.',
    },
  ],
};

export const batch = {
  kind: 'batch',
  id: 'wave-1',
  status: 'failed',
  startedAt: '2026-11-22T03:00:00.000Z',
  finishedAt: '2026-11-22T03:10:00.000Z',
  levels: [
    {
      level: 0,
      groups: [
        { address: 'sales@contoso.com', migrationId: migration.id, status: 'completed_with_warnings' },
      ],
    },
    {
      level: 1,
      groups: [{ address: 'all@contoso.com', migrationId: '01JDLMIGRATE0000000000002', status: 'blocked' }],
    },
  ],
  migrations: [migration],
  findings: [
    {
      code: 'CHILD_GROUP_MIGRATION_EXCEPTION',
      severity: 'blocking',
      subject: 'all@contoso.com',
      message: 'child group hr@contoso.com failed',
      action: 'A child group did not migrate, so its parent cannot; fix the child first.',
    },
  ],
};
