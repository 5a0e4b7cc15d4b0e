// The members of the new (or converted) DL compared one expected member at a time (issue 17). As values
// (values.ts compareValues) a 100,000-member group was every member's expected value with its forms, every member
// read back flattened into its forms, and a set of each side's forms, all at once: the verify step set the run's peak
// memory. Here the members read back are indexed by their forms once (a number per form, a bit per member), the
// expected members are walked a page at a time (engine/member-pages.ts) and checked as they come, and only what is
// missing is kept. The arithmetic is compareValues': each distinct expected value is one check (found when any of its
// forms is a form of a member), and each member no expected value names is an extra.
import type { MemberRecord } from '@dlmigrate/exo';
import type { ExpectedMember } from './expected.js';
import type { Difference, ExpectedValue, Verification } from './values.js';

/** The attribute verify names the members by. */
const MEMBERS = 'Members';

/**
 * Each member once, as the expected values of a list count (values.ts distinctValues): an object named on two pages is
 * one member (its value the first's, its forms both pages'), and a value shown twice is one value.
 */
export class DistinctMembers {
  /** Each object seen, and whether its value was counted (a later object with a counted value's value is not). */
  private readonly objects = new Map<string, boolean>();
  private readonly values = new Set<string>();
  private counted = 0;

  /** 'counted': a value to check; 'again': more forms of a counted one; 'skipped': neither. */
  add(member: ExpectedMember): 'counted' | 'again' | 'skipped' {
    const key = member.key.toLowerCase();
    const before = this.objects.get(key);
    if (before !== undefined) return before ? 'again' : 'skipped';
    const value = member.value.value.toLowerCase();
    const counts = !this.values.has(value);
    this.objects.set(key, counts);
    if (!counts) return 'skipped';
    this.values.add(value);
    this.counted++;
    return 'counted';
  }

  /** How many values were counted. */
  get count(): number {
    return this.counted;
  }
}

/** The forms a member read back is rendered in (what an expected member's forms are looked up in). */
function memberForms(m: MemberRecord): string[] {
  return [m.externalDirectoryObjectId, m.guid, m.primarySmtpAddress, m.name].filter((f) => f !== '');
}

function shownOf(m: MemberRecord): string {
  return m.primarySmtpAddress || m.name;
}

export class MemberCheck {
  /** Each lower-cased form, the first member read back with it; `alike` holds the others (two members named alike). */
  private readonly at = new Map<string, number>();
  private readonly alike = new Map<string, number[]>();
  /** Per member read back: named by an expected value. */
  private readonly named: Uint8Array;
  private readonly distinct = new DistinctMembers();
  /** The counted values none of whose forms is there yet, by object. */
  private readonly missing = new Map<string, ExpectedValue>();

  /** `label` names the DL in the report; `observed` is its members as read now (none when the DL is gone). */
  constructor(
    private readonly label: string,
    private readonly observed: readonly MemberRecord[],
  ) {
    this.named = new Uint8Array(observed.length);
    observed.forEach((m, index) => {
      for (const form of memberForms(m)) {
        const key = form.toLowerCase();
        const first = this.at.get(key);
        if (first === undefined) this.at.set(key, index);
        else if (first !== index) {
          const others = this.alike.get(key);
          if (others === undefined) this.alike.set(key, [index]);
          else others.push(index);
        }
      }
    });
  }

  /** Checks one expected member (in the order they are expected). */
  expect(member: ExpectedMember): void {
    switch (this.distinct.add(member)) {
      case 'counted':
        if (!this.name(member.value.forms)) this.missing.set(member.key.toLowerCase(), member.value);
        return;
      case 'again':
        if (this.name(member.value.forms)) this.missing.delete(member.key.toLowerCase());
        return;
      case 'skipped':
    }
  }

  /** Marks every member read back that one of `forms` names; whether any did. */
  private name(forms: readonly string[]): boolean {
    let found = false;
    for (const form of forms) {
      if (form === '') continue;
      const key = form.toLowerCase();
      const index = this.at.get(key);
      if (index === undefined) continue;
      found = true;
      this.named[index] = 1;
      for (const other of this.alike.get(key) ?? []) this.named[other] = 1;
    }
    return found;
  }

  /** The checks made once every expected member was given: the missing ones, then the extras. */
  result(): Verification {
    const differences: Difference[] = [];
    let shown: string[] | undefined;
    // What the DL holds, as a report names it: made once, and only when there is a difference to show it with.
    const held = () => (shown ??= this.observed.map(shownOf));
    for (const expected of this.missing.values())
      differences.push({ kind: 'missing', expected, observed: held() });
    let extras = 0;
    this.observed.forEach((m, index) => {
      if (this.named[index] === 1) return;
      extras++;
      differences.push({
        kind: 'extra',
        expected: {
          side: 'cloud',
          object: this.label,
          attribute: MEMBERS,
          value: shownOf(m),
          forms: memberForms(m),
        },
        observed: held(),
      });
    });
    return { checked: this.distinct.count + extras, differences };
  }
}
