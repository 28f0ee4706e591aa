import { resolveField } from './field-path';

describe('resolveField', () => {
  it('reads nested, literal and mixed dotted keys', () => {
    expect(resolveField({ a: { b: { c: 1 } } }, 'a.b.c')).toBe(1);
    expect(resolveField({ 'a.b.c': 2 }, 'a.b.c')).toBe(2);
    expect(resolveField({ a: { 'b.c': 3 } }, 'a.b.c')).toBe(3);
  });

  it('prefers the longest literal key but falls back when it leads nowhere', () => {
    expect(resolveField({ 'a.b': 'literal', a: { b: 'nested' } }, 'a.b')).toBe('literal');
    expect(resolveField({ 'a.b': { x: 1 }, a: { b: { c: 4 } } }, 'a.b.c')).toBe(4);
  });

  it('returns undefined for missing paths, arrays in the middle and prototype keys', () => {
    expect(resolveField({ a: 1 }, 'a.b')).toBeUndefined();
    expect(resolveField({ a: [{ b: 1 }] }, 'a.b')).toBeUndefined();
    expect(resolveField({}, 'constructor')).toBeUndefined();
    expect(resolveField({}, '__proto__')).toBeUndefined();
  });

  it('returns arrays and null as they are', () => {
    expect(resolveField({ a: [1, 2] }, 'a')).toEqual([1, 2]);
    expect(resolveField({ a: null }, 'a')).toBeNull();
  });
});
