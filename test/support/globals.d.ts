declare global {
  var __observeStopPostgres: (() => Promise<void>) | undefined;
  var __observeStopKafka: (() => Promise<void>) | undefined;
}

export {};
