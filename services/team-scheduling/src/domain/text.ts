import { characterCount, MAX_SKILL_LENGTH, ValidationError } from '@workshare/eventsourcing';

/** Limits on what people type into commands (reasons, notes, skills). */
export const LIMITS = Object.freeze({
  reasonLength: 500,
  progressNoteLength: 2_000,
  /** The platform's one skill length (@workshare/eventsourcing). */
  skillLength: MAX_SKILL_LENGTH,
  /** Wished minutes a week: at least one... */
  minWishedMinutesPerWeek: 1,
  /** ...and a week has 10,080 minutes: nobody wishes more. */
  maxWishedMinutesPerWeek: 10_080,
  /** An unavailability longer than a year is leaving the team, not a sick child. */
  maxUnavailableDays: 366,
});

/** A trimmed text of `min` to `max` characters (code points), or a ValidationError with the field. */
export const boundedText = (value: string, field: string, code: string, min: number, max: number): string => {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  const length = characterCount(trimmed, max);
  if (typeof value !== 'string' || length < min || length > max) {
    throw new ValidationError(
      code,
      min > 0 ? `${field} must be ${min} to ${max} characters` : `${field} must be at most ${max} characters`,
      { field },
    );
  }
  return trimmed;
};
