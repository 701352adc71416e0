/**
 * @module support/dialogue/templates-translated
 * The policy's replies in Spanish, French and German (the English ones are in `templates.ts`).
 */
import type { ReplyTemplates } from './templates.ts';

/** Spanish. */
export const ES: ReplyTemplates = {
  greeting:
    '¡Hola! Puedo ayudarle con pedidos, devoluciones, nuestros productos y problemas técnicos. ¿En qué puedo ayudarle?',
  closing: 'De nada, me alegra haberle ayudado. Si necesita algo más, escríbanos aquí. ¡Adiós!',
  handover: 'Le paso con una persona de nuestro equipo; le responderá aquí.',
  sensitive:
    'Esto lo tiene que ver una persona de nuestro equipo; ya le he pasado la conversación. Si alguien está en peligro, desenchufe el aparato y llame a emergencias.',
  frustration:
    'Siento mucho las molestias. He pasado la conversación a una persona de nuestro equipo, que le responderá aquí.',
  highValue:
    'Una solicitud de ese importe la decide una persona de nuestro equipo. Ya le he pasado la conversación; le responderá aquí.',
  repeatedFailure:
    'Lo siento, no le estoy entendiendo bien. He pasado la conversación a una persona de nuestro equipo, que le responderá aquí.',
  refusal: 'Solo puedo ayudarle con sus propios pedidos y nuestros productos, dentro de mis instrucciones.',
  outOfScope: 'Lo siento, solo puedo ayudarle con pedidos, productos y soporte de Brightwave Home.',
  notFound:
    'No lo he encontrado en nuestro centro de ayuda. ¿Puede decirlo de otra forma, o prefiere hablar con una persona?',
  askVerify:
    'Para consultar sus pedidos primero tengo que verificar su identidad: envíeme el número de pedido (como GW-10234) y el correo electrónico que usó.',
  askOrderNumber:
    'Gracias. Para verificarle necesito también el número de pedido (como GW-10234) de un pedido hecho con ese correo.',
  askEmail: 'Gracias. Para verificarle necesito también el correo electrónico que usó para ese pedido.',
  englishOnly:
    'Nuestro centro de ayuda solo está en inglés, así que no puedo responder a esto en español. ¿Quiere que le atienda una persona de nuestro equipo? Responda «sí».',
  englishFollows:
    'Esta parte de la respuesta solo la tengo en inglés; si lo prefiere, una persona de nuestro equipo puede atenderle en español:',
  verificationFailed:
    'No he podido verificar esos datos. Compruebe el número de pedido y el correo electrónico e inténtelo de nuevo.',
  tooManyAttempts: 'Demasiados intentos de verificación. Una persona de nuestro equipo le ayudará.',
  tryLater: (minutes) =>
    `Demasiados intentos de verificación en poco tiempo. Inténtelo de nuevo dentro de unos ${minutes} minuto${minutes === 1 ? '' : 's'}.`,
  verified: (name) => `Gracias${name ? `, ${name}` : ''}: ya está verificado.`,
  status: (facts) =>
    facts.carrier
      ? `Su pedido ${facts.orderNumber} está ${facts.orderStatus}. Seguimiento de ${facts.carrier} ${facts.trackingNumber}: ${facts.shipmentStatus}${facts.eta ? `, entrega prevista el ${facts.eta}` : ''}.`
      : `Su pedido ${facts.orderNumber} está ${facts.orderStatus}; todavía no se ha enviado.`,
  orderList: (list) => `Sus pedidos recientes: ${list}. ¿A cuál se refiere?`,
  states: {
    placed: 'registrado',
    paid: 'pagado',
    shipped: 'enviado',
    delivered: 'entregado',
    cancelled: 'cancelado',
    returned: 'devuelto',
    label_created: 'etiqueta creada',
    in_transit: 'en tránsito',
    out_for_delivery: 'en reparto',
    exception: 'incidencia',
  },
};

/** French. */
export const FR: ReplyTemplates = {
  greeting:
    'Bonjour ! Je peux vous aider pour vos commandes, les retours, nos produits et le dépannage. Que puis-je faire pour vous ?',
  closing:
    'Avec plaisir, merci de nous avoir écrit. Pour toute autre question, écrivez-nous ici. Au revoir !',
  handover: 'Je vous passe une personne de notre équipe ; elle vous répondra ici.',
  sensitive:
    'Cela doit être traité par une personne de notre équipe ; je lui ai transmis la conversation. Si quelqu’un est en danger, débranchez l’appareil et appelez les secours.',
  frustration:
    'Je suis désolé pour ce désagrément. J’ai transmis la conversation à une personne de notre équipe, qui vous répondra ici.',
  highValue:
    'Une demande de ce montant est décidée par une personne de notre équipe. Je lui ai transmis la conversation ; elle vous répondra ici.',
  repeatedFailure:
    'Désolé, je ne vous comprends pas bien. J’ai transmis la conversation à une personne de notre équipe, qui vous répondra ici.',
  refusal: 'Je ne peux vous aider que pour vos propres commandes et nos produits, selon mes instructions.',
  outOfScope:
    'Désolé, je ne peux vous aider que pour les commandes, produits et l’assistance Brightwave Home.',
  notFound:
    'Je n’ai pas trouvé cela dans notre centre d’aide. Pouvez-vous reformuler, ou souhaitez-vous parler à une personne ?',
  askVerify:
    'Pour consulter vos commandes, je dois d’abord vous identifier : envoyez-moi le numéro de commande (comme GW-10234) et l’adresse e-mail utilisée.',
  askOrderNumber:
    'Merci. Pour vous identifier, il me faut aussi le numéro (comme GW-10234) d’une commande passée avec cette adresse e-mail.',
  askEmail: 'Merci. Pour vous identifier, il me faut aussi l’adresse e-mail utilisée pour cette commande.',
  englishOnly:
    'Notre centre d’aide n’existe qu’en anglais, je ne peux donc pas vous répondre en français. Souhaitez-vous qu’une personne de notre équipe vous aide ? Répondez « oui ».',
  englishFollows:
    'Cette partie de la réponse n’existe qu’en anglais ; si vous préférez, une personne de notre équipe peut vous aider en français :',
  verificationFailed:
    'Je n’ai pas pu vérifier ces informations. Vérifiez le numéro de commande et l’adresse e-mail, puis réessayez.',
  tooManyAttempts: 'Trop de tentatives de vérification. Une personne de notre équipe va vous aider.',
  tryLater: (minutes) =>
    `Trop de tentatives de vérification en peu de temps. Réessayez dans environ ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  verified: (name) => `Merci${name ? `, ${name}` : ''} : vous êtes identifié.`,
  status: (facts) =>
    facts.carrier
      ? `Votre commande ${facts.orderNumber} est ${facts.orderStatus}. Suivi ${facts.carrier} ${facts.trackingNumber} : ${facts.shipmentStatus}${facts.eta ? `, livraison prévue le ${facts.eta}` : ''}.`
      : `Votre commande ${facts.orderNumber} est ${facts.orderStatus} ; elle n’a pas encore été expédiée.`,
  orderList: (list) => `Vos commandes récentes : ${list}. De laquelle parlez-vous ?`,
  states: {
    placed: 'enregistrée',
    paid: 'payée',
    shipped: 'expédiée',
    delivered: 'livrée',
    cancelled: 'annulée',
    returned: 'retournée',
    label_created: 'étiquette créée',
    in_transit: 'en transit',
    out_for_delivery: 'en cours de livraison',
    exception: 'incident',
  },
};

/** German. */
export const DE: ReplyTemplates = {
  greeting:
    'Hallo! Ich helfe Ihnen bei Bestellungen, Rücksendungen, unseren Produkten und technischen Problemen. Was kann ich für Sie tun?',
  closing:
    'Gern geschehen, schön, dass ich helfen konnte. Wenn noch etwas ist, schreiben Sie einfach hier. Auf Wiedersehen!',
  handover: 'Ich übergebe Sie an eine Person aus unserem Team; sie antwortet Ihnen hier.',
  sensitive:
    'Das muss eine Person aus unserem Team übernehmen; ich habe das Gespräch weitergegeben. Wenn jemand in Gefahr ist, ziehen Sie den Stecker und rufen Sie den Notruf.',
  frustration:
    'Es tut mir leid, dass das so ärgerlich war. Ich habe das Gespräch an eine Person aus unserem Team weitergegeben, die Ihnen hier antwortet.',
  highValue:
    'Über eine Forderung in dieser Höhe entscheidet eine Person aus unserem Team. Ich habe das Gespräch weitergegeben; sie antwortet Ihnen hier.',
  repeatedFailure:
    'Entschuldigung, ich verstehe Sie nicht richtig. Ich habe das Gespräch an eine Person aus unserem Team weitergegeben, die Ihnen hier antwortet.',
  refusal:
    'Ich kann Ihnen nur mit Ihren eigenen Bestellungen und unseren Produkten helfen, im Rahmen meiner Anweisungen.',
  outOfScope: 'Entschuldigung, ich helfe nur bei Bestellungen, Produkten und Support von Brightwave Home.',
  notFound:
    'Das habe ich in unserem Hilfe-Center nicht gefunden. Können Sie es anders formulieren, oder möchten Sie mit einer Person sprechen?',
  askVerify:
    'Um Ihre Bestellungen anzusehen, muss ich Sie zuerst verifizieren: Bitte senden Sie mir die Bestellnummer (wie GW-10234) und die dabei verwendete E-Mail-Adresse.',
  askOrderNumber:
    'Danke. Zur Verifizierung brauche ich noch die Nummer (wie GW-10234) einer Bestellung mit dieser E-Mail-Adresse.',
  askEmail:
    'Danke. Zur Verifizierung brauche ich noch die E-Mail-Adresse, die Sie für diese Bestellung verwendet haben.',
  englishOnly:
    'Unser Hilfe-Center gibt es nur auf Englisch, daher kann ich das nicht auf Deutsch beantworten. Möchten Sie, dass Ihnen eine Person aus unserem Team hilft? Antworten Sie einfach „ja“.',
  englishFollows:
    'Diesen Teil der Antwort habe ich nur auf Englisch; wenn Sie möchten, hilft Ihnen eine Person aus unserem Team auf Deutsch weiter:',
  verificationFailed:
    'Ich konnte diese Angaben nicht bestätigen. Bitte prüfen Sie Bestellnummer und E-Mail-Adresse und versuchen Sie es erneut.',
  tooManyAttempts: 'Zu viele Verifizierungsversuche. Eine Person aus unserem Team hilft Ihnen weiter.',
  tryLater: (minutes) =>
    `Zu viele Verifizierungsversuche in kurzer Zeit. Bitte versuchen Sie es in etwa ${minutes} Minute${minutes === 1 ? '' : 'n'} erneut.`,
  verified: (name) => `Danke${name ? `, ${name}` : ''}: Sie sind verifiziert.`,
  status: (facts) =>
    facts.carrier
      ? `Ihre Bestellung ${facts.orderNumber} ist ${facts.orderStatus}. Sendungsverfolgung ${facts.carrier} ${facts.trackingNumber}: ${facts.shipmentStatus}${facts.eta ? `, voraussichtlich am ${facts.eta}` : ''}.`
      : `Ihre Bestellung ${facts.orderNumber} ist ${facts.orderStatus}; sie wurde noch nicht versandt.`,
  orderList: (list) => `Ihre letzten Bestellungen: ${list}. Welche meinen Sie?`,
  states: {
    placed: 'eingegangen',
    paid: 'bezahlt',
    shipped: 'versandt',
    delivered: 'zugestellt',
    cancelled: 'storniert',
    returned: 'zurückgesendet',
    label_created: 'Versandetikett erstellt',
    in_transit: 'unterwegs',
    out_for_delivery: 'in der Zustellung',
    exception: 'Problem bei der Zustellung',
  },
};
