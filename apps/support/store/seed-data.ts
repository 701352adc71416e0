/**
 * @module support/store/seed-data
 * Generates the demo customers and orders: a few hand-written ones the scenarios and tests rely on,
 * then deterministic pseudo-random ones (seeded), in realistic states relative to `now`.
 */
import { seededRandom } from '../../../src/testing/seeded-random.ts';
import { PRODUCTS, productByModel } from './catalogue.ts';

/** A customer to insert. */
export interface SeedCustomer {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

/** An order to insert, with its lines, shipment and return. */
export interface SeedOrder {
  readonly orderNumber: string;
  readonly customerId: string;
  readonly status: 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned';
  readonly placedAt: Date;
  readonly deliveredAt?: Date;
  readonly lines: readonly { model: string; quantity: number; clearance?: boolean }[];
  readonly shipment?: {
    carrier: string;
    trackingNumber: string;
    status: 'label_created' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception';
    eta: Date;
    events: { at: string; status: string; location: string }[];
  };
  readonly refund?: { reason: string; amount: number };
}

/** The seed's reference time: scenarios and tests use it as "now". */
export const SEED_NOW = new Date('2026-11-20T12:00:00Z');

const DAY = 86_400_000;
const FIRST = [
  'Olivia',
  'Noah',
  'Ava',
  'Ethan',
  'Sofia',
  'Lucas',
  'Chloe',
  'Mason',
  'Priya',
  'Omar',
  'Hana',
  'Diego',
  'Grace',
  'Kofi',
];
const LAST = [
  'Garcia',
  'Nguyen',
  'Smith',
  'Okafor',
  'Rossi',
  'Kowalski',
  'Haddad',
  'Brown',
  'Tanaka',
  'Silva',
  'Murphy',
  'Larsen',
];
const CARRIERS = ['UPS', 'FedEx', 'USPS'];
const CITIES = ['Reno, NV', 'Memphis, TN', 'Louisville, KY', 'Denver, CO', 'Columbus, OH'];

/** Customers whose orders the scenarios and tests name. */
export const FIXTURE_CUSTOMERS: readonly SeedCustomer[] = [
  { id: 'cust-0001', name: 'Maya Patel', email: 'maya.patel@example.com', phone: '+1 415 555 0101' },
  { id: 'cust-0002', name: 'Liam Chen', email: 'liam.chen@example.com', phone: '+1 206 555 0102' },
];

/** Generates ≈40 customers and ≈120 orders. Same `seed` and `now`, same data. */
export function generateSeedData(
  seed = 7,
  now = SEED_NOW,
): { customers: SeedCustomer[]; orders: SeedOrder[] } {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const shipment = (
    orderNumber: string,
    shippedAt: Date,
    status: NonNullable<SeedOrder['shipment']>['status'],
    etaDays: number,
  ) => {
    const events = [{ at: shippedAt.toISOString(), status: 'Picked up', location: 'Reno, NV' }];
    if (status !== 'label_created') {
      events.push({
        at: new Date(shippedAt.getTime() + DAY).toISOString(),
        status: 'In transit',
        location: pick(CITIES),
      });
    }
    if (status === 'out_for_delivery' || status === 'delivered') {
      events.push({
        at: new Date(shippedAt.getTime() + etaDays * DAY - DAY / 3).toISOString(),
        status: 'Out for delivery',
        location: 'Local facility',
      });
    }
    if (status === 'delivered') {
      events.push({
        at: new Date(shippedAt.getTime() + etaDays * DAY).toISOString(),
        status: 'Delivered',
        location: 'Front door',
      });
    }
    return {
      carrier: pick(CARRIERS),
      trackingNumber: `1Z${orderNumber.slice(3)}${Math.floor(random() * 1e6)
        .toString()
        .padStart(6, '0')}`,
      status,
      eta: new Date(shippedAt.getTime() + etaDays * DAY),
      events,
    };
  };
  const delivered = (orderNumber: string, customerId: string, model: string, days: number): SeedOrder => ({
    orderNumber,
    customerId,
    status: 'delivered',
    placedAt: ago(days + 4),
    deliveredAt: ago(days),
    lines: [{ model, quantity: 1 }],
    shipment: shipment(orderNumber, ago(days + 3), 'delivered', 3),
  });
  const customers: SeedCustomer[] = [...FIXTURE_CUSTOMERS];
  const orders: SeedOrder[] = [
    delivered('GW-10001', 'cust-0001', 'LUM-T2', 10),
    delivered('GW-10002', 'cust-0001', 'HALO-KIT4', 5),
    delivered('GW-10003', 'cust-0001', 'NOVA-R5', 70),
    {
      orderNumber: 'GW-10004',
      customerId: 'cust-0001',
      status: 'shipped',
      placedAt: ago(3),
      lines: [{ model: 'AUR-MESH-3', quantity: 1 }],
      shipment: shipment('GW-10004', ago(2), 'in_transit', 4),
    },
    {
      orderNumber: 'GW-10005',
      customerId: 'cust-0001',
      status: 'placed',
      placedAt: ago(0.2),
      lines: [{ model: 'SPK-P1', quantity: 2 }],
    },
    delivered('GW-10006', 'cust-0002', 'HALO-C4X', 3),
    {
      orderNumber: 'GW-10007',
      customerId: 'cust-0002',
      status: 'shipped',
      placedAt: ago(4),
      lines: [{ model: 'BEA-DB2', quantity: 1 }],
      shipment: shipment('GW-10007', ago(3), 'out_for_delivery', 3),
    },
  ];
  for (let index = customers.length + 1; index <= 40; index++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    customers.push({
      id: `cust-${String(index).padStart(4, '0')}`,
      name: `${first} ${last}`,
      email: `${first}.${last}${index}@example.com`.toLowerCase(),
      phone: `+1 ${200 + Math.floor(random() * 700)} 555 ${String(1000 + index).slice(-4)}`,
    });
  }
  for (let number = 10008; orders.length < 120; number++) {
    const orderNumber = `GW-${number}`;
    const customerId = customers[2 + Math.floor(random() * (customers.length - 2))]!.id;
    const lines = Array.from({ length: 1 + Math.floor(random() * 2.2) }, () => ({
      model: pick(PRODUCTS).model,
      quantity: random() < 0.85 ? 1 : 2,
      clearance: random() < 0.08,
    }));
    const roll = random();
    if (roll < 0.08)
      orders.push({ orderNumber, customerId, status: 'placed', placedAt: ago(random()), lines });
    else if (roll < 0.15)
      orders.push({ orderNumber, customerId, status: 'paid', placedAt: ago(1 + random()), lines });
    else if (roll < 0.3) {
      const age = 2 + random() * 4;
      const status = random() < 0.15 ? 'exception' : random() < 0.3 ? 'out_for_delivery' : 'in_transit';
      orders.push({
        orderNumber,
        customerId,
        status: 'shipped',
        placedAt: ago(age),
        lines,
        shipment: shipment(orderNumber, ago(age - 1), status, 4),
      });
    } else if (roll < 0.36)
      orders.push({ orderNumber, customerId, status: 'cancelled', placedAt: ago(5 + random() * 60), lines });
    else if (roll < 0.42) {
      const order = delivered(orderNumber, customerId, lines[0]!.model, 15 + random() * 60);
      const amount = productByModel(lines[0]!.model).price;
      orders.push({
        ...order,
        status: 'returned',
        refund: { reason: pick(['Changed my mind', 'Defective', 'Not compatible']), amount },
      });
    } else {
      const order = delivered(orderNumber, customerId, lines[0]!.model, 5 + random() * 110);
      orders.push({ ...order, lines });
    }
  }
  return { customers, orders };
}
