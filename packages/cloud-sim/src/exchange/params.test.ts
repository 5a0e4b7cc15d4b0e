import { describe, expect, it } from 'vitest';
import { CmdletError } from './errors.js';
import { applyMulti, bindParameters } from './params.js';

const spec = {
  Identity: { kind: 'string' },
  Name: { kind: 'string', maxLength: 64 },
  Members: { kind: 'multi', maxValues: 3 },
  Hidden: { kind: 'bool' },
  Join: { kind: 'enum', values: ['Open', 'Closed'] },
  ResultSize: { kind: 'resultSize' },
} as const;

function failure(raw: Record<string, unknown>): string {
  try {
    bindParameters(spec, raw);
  } catch (err) {
    if (err instanceof CmdletError) return err.errorId;
    throw err;
  }
  return 'bound';
}

describe('parameter binding', () => {
  it('matches names case-insensitively and ignores @odata annotations', () => {
    const p = bindParameters(spec, {
      identity: 'x',
      HIDDEN: true,
      'Members@odata.type': '#Collection(String)',
      join: 'closed',
      Confirm: false,
    });
    expect(p.string('Identity')).toBe('x');
    expect(p.bool('Hidden')).toBe(true);
    expect(p.string('Join')).toBe('Closed');
  });

  it('binds a list as overwrite and a tagged hashtable as add/remove', () => {
    expect(bindParameters(spec, { Members: 'a' }).multi('Members')).toEqual({
      replace: ['a'],
      add: [],
      remove: [],
    });
    expect(
      bindParameters(spec, {
        Members: { '@odata.type': '#Exchange.GenericHashTable', add: ['a'], Remove: 'b' },
      }).multi('Members'),
    ).toEqual({
      add: ['a'],
      remove: ['b'],
    });
    expect(bindParameters(spec, { ResultSize: 'Unlimited' }).number('ResultSize')).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('refuses unknown names, untagged objects, too long, too many, wrong types', () => {
    expect(failure({ Colour: 'x' })).toBe('NamedParameterNotFound');
    expect(failure({ Members: { Add: ['a'] } })).toBe('ParameterArgumentTransformationError');
    expect(failure({ Name: 'n'.repeat(65) })).toBe('ParameterArgumentValidationError');
    expect(failure({ Members: ['a', 'b', 'c', 'd'] })).toBe('Ex3B6E90');
    expect(failure({ Hidden: 'maybe' })).toBe('ParameterArgumentTransformationError');
    expect(failure({ Join: 'Sometimes' })).toBe('ParameterArgumentTransformationError');
    expect(failure({ ResultSize: 0 })).toBe('ParameterArgumentTransformationError');
  });

  it('applies add/remove without duplicates and keeps order', () => {
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    expect(applyMulti(['a', 'b'], { add: ['B', 'c'], remove: ['a'] }, same)).toEqual(['b', 'c']);
    expect(applyMulti(['a'], { replace: ['x'], add: [], remove: [] }, same)).toEqual(['x']);
  });
});
