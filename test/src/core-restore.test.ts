// Restore after a completed migration: the group is back on-premises exactly as captured, the cloud DL is gone and
// the sync has made the group a synced cloud group again — directory and tenant as before the migration.
import { describe, expect, it } from 'vitest';
import { directoryView, SALES_KEYS, tenantView, viewDiff } from './views.js';
import { useWorld, sharedLab } from './world.js';

const w = useWorld(sharedLab());

describe('restore', () => {
  it.each([
    { name: 'a retained group', options: { hybridMailFlow: true } },
    { name: 'a deleted group', options: { retainOriginalGroup: false } },
  ])(
    'puts $name back as it was, in the directory and in the tenant',
    async ({ options }) => {
      await w.reset();
      const directoryBefore = await directoryView(w, SALES_KEYS);
      const tenantBefore = tenantView(w);
      const migrated = await w.engine.migrate('sales@contoso.com', {
        nonSyncOu: w.objects['ous.nonSync']!.dn,
        ...options,
      });
      expect(migrated.status).toBe('completed_with_warnings'); // "members of Sales" restrictions (members-of.ts)

      // What restore will change, read first (the CLI shows it and asks): object, attribute, before → after.
      const preview = await w.engine.restorePreview(migrated.migrationId);
      const steps = preview.changes.map((c) => c.step);
      expect(steps).toEqual(
        expect.arrayContaining(['restore-remove-cloud', 'restore-group', 'restore-resync']),
      );
      if (options.hybridMailFlow === true)
        expect(preview.changes).toContainEqual(
          expect.objectContaining({
            step: 'restore-remove-hybrid',
            action: 'delete the dynamic DL holding the address',
          }),
        );
      const group = preview.changes.filter((c) => c.step === 'restore-group');
      if (options.retainOriginalGroup === false)
        expect(group).toContainEqual(
          expect.objectContaining({ attribute: 'object', before: null, after: 'group' }),
        );
      else
        expect(group).toContainEqual(
          expect.objectContaining({ attribute: 'cn', before: 'Sales!', after: 'Sales' }),
        );
      expect(preview.changes.find((c) => c.step === 'restore-remove-cloud')).toMatchObject({
        side: 'cloud',
        before: expect.arrayContaining(['SMTP:sales@contoso.com']),
        after: null,
      });

      const restored = await w.engine.restore(migrated.migrationId);
      expect(restored).toMatchObject({ migrationId: migrated.migrationId, status: 'restored' });
      const differences = (await w.state.listFindings(migrated.migrationId)).filter(
        (e) => e.code === 'VERIFY_DIFFERENCE',
      );
      expect({ ...restored.verification, differences }).toMatchObject({ differences: [] });
      const after = await directoryView(w, SALES_KEYS);
      if (options.retainOriginalGroup === false) {
        // A re-created group is a new object: new GUID, SID, creation stamp and Entra id (written back by the sync for
        // the object it creates); everything else as before.
        const strip = (v: unknown) => {
          const {
            objectguid: _g,
            objectsid: _s,
            whencreated: _c,
            'msds-externaldirectoryobjectid': _e,
            ...rest
          } = (v as { attributes: Record<string, unknown> }).attributes;
          return rest;
        };
        const salesNow = await w.ad.findByAddress('sales@contoso.com');
        const now = await w.ad.connection.read(salesNow[0]!.dn, { attributes: ['*'] });
        expect(now?.dn).toBe((directoryBefore['groups.sales'] as { dn: string }).dn);
        expect(
          strip({
            attributes: Object.fromEntries(
              now!
                .names()
                .filter(
                  (n) =>
                    !['whenchanged', 'usnchanged', 'usncreated', 'dscorepropagationdata'].includes(
                      n.toLowerCase(),
                    ),
                )
                .map((n) => [n.toLowerCase(), now!.strings(n).sort()]),
            ),
          }),
        ).toEqual(strip(directoryBefore['groups.sales']));
        for (const key of SALES_KEYS.slice(1)) expect(after[key]).toEqual(directoryBefore[key]);
      } else {
        expect(after).toEqual(directoryBefore);
      }
      expect(viewDiff(tenantBefore, tenantView(w))).toEqual([]);
      expect(await w.engine.restore(migrated.migrationId)).toMatchObject({ status: 'restored' }); // idempotent
    },
    300_000,
  );
});
