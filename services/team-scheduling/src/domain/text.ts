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

/**
 * A text identity sealed with the data key of the member `sealedFor` (identity's SealedText,
 * `@workshare/identity/texts`): what a member's free texts (a hand-off's reason and progress
 * note, an unavailability's reason) are in the events since schema version 2, so that
 * forgetting her makes them unreadable.
 */
export type SealedText = {
  readonly sealedFor: string;
  readonly sealed: string;
};

/**
 * A free text as a command and an event carry it: a string in clear (the platform's own words,
 * as `member left the team`, or a text of schema version 1), or sealed for the member it is about.
 */
export type PersonalText = string | SealedText;

export const isSealedText = (value: unknown): value is SealedText =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { sealedFor?: unknown }).sealedFor === 'string' &&
  typeof (value as { sealed?: unknown }).sealed === 'string' &&
  (value as { sealed: string }).sealed !== '';

/**
 * A person's free text about `owner`: in clear, a trimmed text of `min` to `max` characters
 * (boundedText); sealed, it was checked so before it was sealed (the application seals what
 * `boundedText` let through), and it must be sealed for her: a text sealed for someone else is
 * refused with `code`.
 */
export const personalText = (
  value: PersonalText,
  owner: string,
  field: string,
  code: string,
  min: number,
  max: number,
): PersonalText => {
  if (typeof value === 'string') return boundedText(value, field, code, min, max);
  if (!isSealedText(value) || value.sealedFor !== owner)
    throw new ValidationError(code, `${field} must be sealed for the member it is about`, { field });
  return { sealedFor: value.sealedFor, sealed: value.sealed };
};
