/**
 * @module store/migrations/016-feedback-per-rater
 * A rating belongs to whoever gave it: the key is (answer, rater), so a customer who knows another
 * user's trace id adds their own rating instead of replacing that user's. Rating an answer again
 * still replaces the rater's own earlier rating. Existing rows keep their rater. See ADR 0066.
 */

export const MIGRATION_016 = `
ALTER TABLE feedback DROP CONSTRAINT feedback_pkey;
ALTER TABLE feedback ADD PRIMARY KEY (answer_id, user_id);
`;
