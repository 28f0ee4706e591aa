import { ValidationError } from '@observe/core';

import { conversionOptionsFor, parseScopeList } from './tool-audience';

describe('parseScopeList', () => {
  it('reads a comma-separated list, trimmed, deduplicated and sorted', () => {
    const scopes = parseScopeList(' incidents:read,audit:read ,incidents:read');

    expect(scopes).toEqual(['audit:read', 'incidents:read']);
  });

  it('joins a repeated parameter into one list', () => {
    expect(parseScopeList(['audit:read', 'incidents:write'])).toEqual([
      'audit:read',
      'incidents:write',
    ]);
  });

  it('is undefined when the parameter is absent', () => {
    expect(parseScopeList(undefined)).toBeUndefined();
  });

  it('refuses scopes outside the catalog, naming each', () => {
    const parse = () => parseScopeList('audit:read,root:all,incidents:admin');

    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow('unknown scopes: root:all, incidents:admin');
  });

  it('refuses a list that names nothing', () => {
    expect(() => parseScopeList(' , ')).toThrow(ValidationError);
  });
});

describe('conversionOptionsFor', () => {
  const scoped = { kind: 'scoped' as const, scopes: ['audit:read', 'incidents:read'] };
  const full = { kind: 'full' as const, scopes: [] };

  it('lists everything for nobody in particular', () => {
    expect(conversionOptionsFor(undefined, undefined)).toEqual({});
  });

  it('lists what the caller may call', () => {
    expect(conversionOptionsFor(full, undefined)).toEqual({ fullToken: true });
    expect(conversionOptionsFor(scoped, undefined)).toEqual({
      scopes: ['audit:read', 'incidents:read'],
      fullToken: false,
    });
  });

  it('treats requested scopes as a scoped token, within what a scoped caller holds', () => {
    const requested = ['audit:read', 'incidents:write'];

    expect(conversionOptionsFor(undefined, requested)).toEqual({
      scopes: requested,
      fullToken: false,
    });
    expect(conversionOptionsFor(full, requested)).toEqual({ scopes: requested, fullToken: false });
    expect(conversionOptionsFor(scoped, requested)).toEqual({
      scopes: ['audit:read'],
      fullToken: false,
    });
  });
});
