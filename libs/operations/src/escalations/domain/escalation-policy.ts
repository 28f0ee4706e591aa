export type EscalationTargetKind = 'person' | 'schedule';

/** Someone to notify: a person directly, or whoever a schedule has on call then. */
export interface EscalationTarget {
  kind: EscalationTargetKind;
  id: string;
}

/** Notified together; `delayMinutes` is how long they have to acknowledge before the next level. */
export interface EscalationLevel {
  delayMinutes: number;
  targets: EscalationTarget[];
}

/**
 * Who to notify, in order, until someone acknowledges. `repeat` is how many
 * more times the whole ladder runs after its last level goes unanswered.
 */
export interface EscalationPolicy {
  id: string;
  name: string;
  levels: EscalationLevel[];
  repeat: number;
  services: string[];
}
