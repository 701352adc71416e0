import { describe, expect, it } from 'vitest';
import { assignArm, stickySubject } from './assignment.ts';

describe('sticky assignment', () => {
  const arms = [
    { name: 'control', weight: 3 },
    { name: 'brief', weight: 1 },
  ];

  it('keeps a subject in one arm and splits subjects by weight', () => {
    const counts = { control: 0, brief: 0 };
    for (let index = 0; index < 4000; index++) {
      const subject = `user:${index}`;
      const arm = assignArm('exp-1', subject, arms);
      expect(assignArm('exp-1', subject, arms)).toBe(arm);
      counts[arm.name as keyof typeof counts]++;
    }
    // 3:1 weights: 3000 expected in control; 4 standard deviations is ±110.
    expect(Math.abs(counts.control - 3000)).toBeLessThan(110);
  });

  it('shuffles subjects independently per experiment', () => {
    let same = 0;
    for (let index = 0; index < 1000; index++) {
      const even = [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 1 },
      ];
      if (assignArm('exp-1', `user:${index}`, even) === assignArm('exp-2', `user:${index}`, even)) same++;
    }
    expect(same).toBeGreaterThan(400);
    expect(same).toBeLessThan(600);
  });

  it('keys on the user, else the conversation', () => {
    expect(stickySubject({ userId: 'k1', conversationId: 'c1' })).toBe('user:k1');
    expect(stickySubject({ conversationId: 'c1' })).toBe('conversation:c1');
    expect(stickySubject({})).toBeUndefined();
  });
});
