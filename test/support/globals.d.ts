declare global {
  var __observeTestRoot: string | undefined;
  var __observeStopPostgres: (() => Promise<void>) | undefined;
  var __observeStopKafka: (() => Promise<void>) | undefined;
}

export {};
