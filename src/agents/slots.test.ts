import { describe, expect, it } from 'vitest';
import { extractSlots, firstSlot } from './slots.ts';

describe('extractSlots', () => {
  it('finds an order number and an email, normalised', () => {
    const slots = extractSlots('my order gw10234, email is Jo.Smith+x@Example.COM');
    expect(firstSlot(slots, 'orderNumber')).toBe('GW-10234');
    expect(firstSlot(slots, 'email')).toBe('jo.smith+x@example.com');
  });

  it('tells order numbers from model numbers', () => {
    const slots = extractSlots('Order GW-10311 had an AUR-MESH-3 and a LUM-T2 in it');
    expect(slots.map((slot) => [slot.kind, slot.value])).toEqual([
      ['orderNumber', 'GW-10311'],
      ['modelNumber', 'AUR-MESH-3'],
      ['modelNumber', 'LUM-T2'],
    ]);
  });

  it('reads amounts in several notations', () => {
    const amounts = extractSlots('refund $1,249.50 or 80 dollars or £12').filter(
      (slot) => slot.kind === 'amount',
    );
    expect(amounts.map((slot) => slot.value)).toEqual(['1249.50', '80.00', '12.00']);
  });

  it('reads phone numbers but not short number pairs', () => {
    expect(firstSlot(extractSlots('call me on +1 415-555-0132'), 'phone')).toBe('+14155550132');
    expect(firstSlot(extractSlots('between 3-5 days'), 'phone')).toBeUndefined();
  });

  it('finds nothing in plain text', () => {
    expect(extractSlots('my wifi is slow in the kitchen')).toEqual([]);
  });
});
