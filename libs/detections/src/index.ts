export * from './sigma';
