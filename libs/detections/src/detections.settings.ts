import { z } from 'zod';

/** Tunables of the detections module, with their defaults beside them. */
export interface DetectionSettings {
  /** Most security events one POST /api/v1/siem/events may carry. */
  maxEventsPerBatch: number;
  /** How often the detector looks for events it has not evaluated. */
  detectorIntervalMs: number;
  /** Events evaluated per detector transaction. */
  detectorBatchSize: number;
  /** Matching events copied into a security incident; the detection links to all of them. */
  maxEvidenceInIncident: number;
}

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = {
  maxEventsPerBatch: 1_000,
  detectorIntervalMs: 1_000,
  detectorBatchSize: 500,
  maxEvidenceInIncident: 20,
};

export const DETECTION_SETTINGS = Symbol('DETECTION_SETTINGS');

/**
 * The variables the detections module reads. These lines belong in the
 * platform's environment schema (libs/config); the module keeps a copy so its
 * tests can boot it from the same strings.
 */
export const detectionsEnvironmentSchema = z.object({
  SIEM_EVENTS_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(1_000),
  DETECTOR_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
  DETECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
});

export type DetectionsEnvironment = z.infer<typeof detectionsEnvironmentSchema>;

export function detectionSettingsFrom(environment: DetectionsEnvironment): DetectionSettings {
  return {
    ...DEFAULT_DETECTION_SETTINGS,
    maxEventsPerBatch: environment.SIEM_EVENTS_MAX_BATCH,
    detectorIntervalMs: environment.DETECTOR_INTERVAL_MS,
    detectorBatchSize: environment.DETECTOR_BATCH_SIZE,
  };
}
