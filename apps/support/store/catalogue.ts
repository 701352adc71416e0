/**
 * @module support/store/catalogue
 * The products the seed sells, matching knowledge/catalogue/products.md (model, name, price).
 */

/** One product. */
export interface Product {
  readonly model: string;
  readonly name: string;
  readonly price: number;
}

/** The catalogue. */
export const PRODUCTS: readonly Product[] = [
  { model: 'AUR-MESH-3', name: 'Aurora Mesh Wi-Fi 6 system, 3 nodes', price: 349 },
  { model: 'AUR-MESH-2', name: 'Aurora Mesh Wi-Fi 6 system, 2 nodes', price: 249 },
  { model: 'AUR-SAT-1', name: 'Aurora Mesh add-on satellite', price: 129 },
  { model: 'NOVA-R7', name: 'Nova BE9300 Wi-Fi 7 router', price: 429 },
  { model: 'NOVA-R5', name: 'Nova AX3000 Wi-Fi 6 router', price: 149 },
  { model: 'NOVA-EXT2', name: 'Nova AX1800 range extender', price: 69 },
  { model: 'LUM-T2', name: 'Lumen smart thermostat', price: 199 },
  { model: 'LUM-RS1', name: 'Lumen room sensor', price: 39 },
  { model: 'HALO-C4', name: 'Halo indoor camera', price: 79 },
  { model: 'HALO-C4X', name: 'Halo outdoor camera', price: 169 },
  { model: 'HALO-KIT4', name: 'Halo security kit, 4 cameras and hub', price: 649 },
  { model: 'BEA-DB2', name: 'Beacon video doorbell', price: 189 },
  { model: 'SPK-P1', name: 'Spark smart plug, 2-pack', price: 29 },
];

/** A product by model number. */
export function productByModel(model: string): Product {
  const product = PRODUCTS.find((candidate) => candidate.model === model);
  if (!product) throw new Error(`Unknown model ${model}`);
  return product;
}
