import { describe, expect, it } from 'vitest';
import { batchPlanBlocked, type PlanLayout } from './plan-layout.js';

const layout = (blocked: PlanLayout['blocked'] = []): PlanLayout => ({
  levels: [['child@contoso.com'], ['parent@contoso.com']],
  waves: [['child@contoso.com'], ['parent@contoso.com']],
  children: { 'parent@contoso.com': ['child@contoso.com'] },
  blocked,
});

describe('batchPlanBlocked', () => {
  it("leaves a parent's NESTED_GROUP_EXCEPTION to the layout: its child runs first in the batch", () => {
    const plans = [
      { findings: [] },
      { findings: [{ code: 'NESTED_GROUP_EXCEPTION', severity: 'blocking' as const }] },
    ];
    expect(batchPlanBlocked(plans, layout())).toBe(false);
  });

  it('is blocked by any other blocker, or by a group the layout cannot run', () => {
    expect(
      batchPlanBlocked([{ findings: [{ code: 'DUPLICATE_MAIL', severity: 'blocking' }] }], layout()),
    ).toBe(true);
    expect(batchPlanBlocked([{ findings: [{ code: 'GROUP_NOT_FOUND', severity: 'info' }] }], layout())).toBe(
      false,
    );
    const cycle = [{ address: 'a@contoso.com', code: 'GROUP_CYCLE', message: 'a cycle', action: 'break it' }];
    expect(batchPlanBlocked([{ findings: [] }], layout(cycle))).toBe(true);
  });
});
