export * from './incident-analyst';
export * from './rule-based/rule-based-analyst';
export * from './gather-context/analysis-context.builder';
export * from './worker/analyst-worker';
export * from './read-analysis/incident-analyses.projection';
export * from './read-analysis/analysis.reader';
export * from './analyst.module';
