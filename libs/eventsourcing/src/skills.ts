/**
 * A skill is one word of the platform's vocabulary ("data entry", "transcription"): the skills a
 * member holds (identity), those granted to her (team scheduling), those a job asks for (job
 * intake) and those each task needs (task decomposition) are matched against each other, so they
 * share one length. Counted in characters (see characterCount).
 */
export const MAX_SKILL_LENGTH = 60;
