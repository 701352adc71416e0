/**
 * @module prompts/assignment
 * Sticky assignment of a subject to an experiment arm: a hash of the experiment id and the subject
 * (the user, else the conversation) picks a point in [0, 1), and the arms' weights divide that range.
 * The same subject always lands in the same arm of the same experiment, in every process, with no
 * stored assignment; different experiments shuffle subjects independently.
 */
import { createHash } from 'node:crypto';

/** An arm and its share of traffic (weights need not sum to anything in particular). */
export interface WeightedArm {
  readonly name: string;
  readonly weight: number;
}

/** The sticky key of a request: its user, else its conversation; undefined when it has neither. */
export function stickySubject(request: { userId?: string; conversationId?: string }): string | undefined {
  if (request.userId) return `user:${request.userId}`;
  if (request.conversationId) return `conversation:${request.conversationId}`;
  return undefined;
}

/** The arm `subject` is assigned to in `experimentId`. */
export function assignArm<Arm extends WeightedArm>(
  experimentId: string,
  subject: string,
  arms: readonly Arm[],
): Arm {
  const digest = createHash('sha256').update(`${experimentId}\u0000${subject}`).digest();
  const point = digest.readUInt32BE(0) / 2 ** 32;
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  let cumulative = 0;
  for (const arm of arms) {
    cumulative += arm.weight / total;
    if (point < cumulative) return arm;
  }
  return arms.at(-1)!;
}
