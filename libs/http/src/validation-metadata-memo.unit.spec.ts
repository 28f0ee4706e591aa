import 'reflect-metadata';

import { IsInt, IsString, MetadataStorage, validate } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

import { memoizeValidationMetadata } from './validation-metadata-memo';

class Named {
  @IsString()
  name!: string;
}

class Counted extends Named {
  @IsInt()
  count!: number;
}

/** A rule as decorators register it: class-validator keeps its metadata class internal. */
function rule(target: object, propertyName: string, groups?: string[]): ValidationMetadata {
  return {
    type: 'isString',
    target,
    propertyName,
    groups: groups ?? [],
    always: undefined,
    each: false,
    context: undefined,
    constraints: [],
    validationTypeOptions: undefined,
  } as unknown as ValidationMetadata;
}

describe('memoized validation metadata', () => {
  it('answers a class with its own and its ancestors rules, asking the storage once', () => {
    const storage = new MetadataStorage();
    const scan = jest.spyOn(storage, 'getTargetValidationMetadatas');
    class Base {}
    class Child extends Base {}
    storage.addValidationMetadata(rule(Base, 'name'));
    storage.addValidationMetadata(rule(Child, 'count'));
    memoizeValidationMetadata(storage);

    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    const second = storage.getTargetValidationMetadatas(Child, '', false, false);

    expect(first.map((metadata) => metadata.propertyName).sort()).toEqual(['count', 'name']);
    expect(second).toBe(first);
    expect(scan).toHaveBeenCalledTimes(1);
  });

  it('looks again once a rule is added, to the class or to an ancestor', () => {
    const storage = new MetadataStorage();
    class Base {}
    class Child extends Base {}
    memoizeValidationMetadata(storage);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toEqual([]);

    storage.addValidationMetadata(rule(Base, 'late'));

    const names = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(names.map((metadata) => metadata.propertyName)).toEqual(['late']);
  });

  it('keeps answers apart for other groups and options', () => {
    class Target {}
    const storageWith = () => {
      const storage = new MetadataStorage();
      storage.addValidationMetadata(rule(Target, 'grouped', ['admin']));
      return storage;
    };
    const plain = storageWith();
    const memoized = storageWith();
    memoizeValidationMetadata(memoized);
    const asks: Array<[boolean, boolean, string[] | undefined]> = [
      [false, false, ['admin']],
      [false, false, ['user']],
      [false, true, undefined],
      [false, false, undefined],
      [true, false, ['user']],
    ];

    for (const [always, strictGroups, groups] of asks) {
      const expected = plain.getTargetValidationMetadatas(Target, '', always, strictGroups, groups);
      expect(
        memoized.getTargetValidationMetadatas(Target, '', always, strictGroups, groups),
      ).toEqual(expected);
    }
    expect(memoized.getTargetValidationMetadatas(Target, '', false, false, ['user'])).toEqual([]);
  });

  it('leaves validation answering as before on the global storage', async () => {
    memoizeValidationMetadata();
    memoizeValidationMetadata();

    const valid = Object.assign(new Counted(), { name: 'ok', count: 2 });
    const invalid = Object.assign(new Counted(), { name: 3, count: 'x' });

    expect(await validate(valid)).toEqual([]);
    const errors = await validate(invalid);
    expect(errors.map((error) => error.property).sort()).toEqual(['count', 'name']);
  });
});
