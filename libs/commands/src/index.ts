export * from './command-context';
export * from './decider';
export * from './aggregate-repository';
export * from './commands.module';
