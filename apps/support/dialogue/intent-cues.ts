/**
 * @module support/dialogue/intent-cues
 * The order and return intents in Spanish, French and German. The intent router learnt English
 * utterances; a customer writing "¿dónde está mi pedido?" or "je veux retourner la caméra" still
 * means an order status or a return, and these words say so.
 */

const words = (alternatives: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu');

const RETURN = words(
  'devolver|devoluci[oó]n|devolverlo|devolverla|reembolso|retourner|retour|rembourser|remboursement|renvoyer|zur[üu]ck(?:schicken|senden|geben|gabe)|r[üu]ckgabe|r[üu]cksendung|erstattung|umtauschen|umtausch',
);

/** The customer's own order or parcel; "envío" or "Versand" alone is the shipping policy (a FAQ). */
const ORDER = words(
  'pedidos?|paquetes?|seguimiento|commandes?|colis|suivi|bestellung(?:en)?|bestellnummer|pakete?|sendung|sendungsverfolgung',
);

const GREETING = words(
  String.raw`hola|buenos\s+d[ií]as|buenas(?:\s+tardes|\s+noches)?|bonjour|bonsoir|salut|hallo|guten\s+(?:tag|morgen|abend)|servus|moin`,
);

/** The intent the words of a non-English message point to, if any. */
export function intentCue(text: string): 'return_request' | 'order_status' | 'greeting' | undefined {
  if (RETURN.test(text)) return 'return_request';
  if (ORDER.test(text)) return 'order_status';
  if (GREETING.test(text) && text.split(/\s+/).length <= 4) return 'greeting';
  return undefined;
}
