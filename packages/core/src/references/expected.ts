// What the Exchange configuration should look like after a migration (issue 16), for the verify step: every
// container that named the old group names the new one. expectedConfigReferences is pure; checkConfigReferences
// reads the tenant and lists what is not as expected.
import type { ExchangeOnline } from '@dlmigrate/exo';
import { describeExchangeReference } from './commands.js';
import type { ExchangeReference } from './exchange.js';
import type { GroupIdentity } from './identity.js';
import { LiveReader, liveNames } from './live.js';

export interface ConfigExpectation {
  readonly reference: ExchangeReference;
  /** In words: "transport rule "X" names <group> in SentToMemberOf". */
  readonly expectation: string;
  /** The group the container must name, in the form the container keeps. */
  readonly mustName: GroupIdentity;
}

export function expectedConfigReferences(
  references: readonly ExchangeReference[],
  target: GroupIdentity,
): ConfigExpectation[] {
  return references.map((reference) => ({
    reference,
    expectation: `${describeExchangeReference(reference)} — must name ${target.primarySmtpAddress || target.name}`,
    mustName: target,
  }));
}

export interface ConfigMismatch {
  readonly expectation: ConfigExpectation;
  /** "gone" when the container no longer exists, else "does not name the group". */
  readonly problem: 'gone' | 'does-not-name-the-group';
}

/** Reads every expected container from the tenant; returns those that do not name the group. */
export async function checkConfigReferences(
  exchange: ExchangeOnline,
  expectations: readonly ConfigExpectation[],
): Promise<ConfigMismatch[]> {
  const reader = new LiveReader(exchange);
  const mismatches: ConfigMismatch[] = [];
  for (const expectation of expectations) {
    const live = await reader.read(expectation.reference);
    if (live.shape === 'gone') mismatches.push({ expectation, problem: 'gone' });
    else if (!liveNames(expectation.reference, live, expectation.mustName))
      mismatches.push({ expectation, problem: 'does-not-name-the-group' });
  }
  return mismatches;
}
