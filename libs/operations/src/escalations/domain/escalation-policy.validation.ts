import { FieldErrors, checkText } from '../../on-call/domain/field-errors';
import { EscalationLevel, EscalationTargetKind } from './escalation-policy';

const TARGET_KINDS: readonly EscalationTargetKind[] = ['person', 'schedule'];

/** Bounds a ladder a person can still reason about; PagerDuty caps loops the same way. */
export const MAX_REPEAT = 9;

export function checkLevels(errors: FieldErrors, levels: EscalationLevel[]): void {
  if (levels.length === 0) {
    errors.add('levels', 'must have at least one level');
  }

  levels.forEach((level, index) => {
    const at = `levels[${index}]`;
    if (!Number.isInteger(level.delayMinutes) || level.delayMinutes < 1) {
      errors.add(`${at}.delayMinutes`, 'must be a whole number of minutes, at least 1');
    }
    if (level.targets.length === 0) {
      errors.add(`${at}.targets`, 'must name at least one person or schedule');
    }
    level.targets.forEach((target, targetIndex) => {
      if (!TARGET_KINDS.includes(target.kind)) {
        errors.add(
          `${at}.targets[${targetIndex}].kind`,
          `must be one of ${TARGET_KINDS.join(', ')}`,
        );
      }
      checkText(errors, `${at}.targets[${targetIndex}].id`, target.id);
    });
  });
}

export function checkRepeat(errors: FieldErrors, repeat: number): void {
  if (!Number.isInteger(repeat) || repeat < 0 || repeat > MAX_REPEAT) {
    errors.add('repeat', `must be a whole number from 0 to ${MAX_REPEAT}`);
  }
}
