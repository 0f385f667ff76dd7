"""The phrase lists of the human-reply rules, per category and language (English, German, French, Spanish, Dutch).

Patterns are matched against the reply's new text lower-cased, accents stripped ("intéressé" → "interesse",
"löschen" → "loschen") and apostrophes straightened, so they are written that way. Each is ``(pattern, weight)``:
the weight is the rule's confidence when it matches alone. A pattern is negatable unless listed in a
``FIXED_*`` tuple: "remove me" preceded by "don't" does not count, "interesse" after "kein" or "pas" does not.
Patterns that carry their own negation ("not interested", "kein interesse") are the not-interested ones.
"""

from __future__ import annotations

# Words that turn a phrase around when they stand just before it in the same clause (or, for French "pas" and
# German/Dutch "nicht"/"niet", just after it: "ça ne m'intéresse pas", "interessiert uns nicht").
NEGATORS_BEFORE = frozenset({
    "not", "don't", "dont", "do", "never", "no", "isn't", "aren't", "won't", "wouldn't", "cannot", "can't",
    "nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals",
    "ne", "n'", "pas", "jamais", "plus",
    "nunca", "tampoco", "ni",
    "niet", "geen", "nooit",
})
NEGATORS_AFTER = frozenset({"pas", "nicht", "niet", "not", "plus"})

UNSUBSCRIBE = [
    # English
    (r"\bunsubscrib", 0.95), (r"\bremove (me|us|my (email|address|details|data)|this (email|address))\b", 0.9),
    (r"\bstop (e-?mailing|contacting|sending|writing|messaging|spamming)\b", 0.92),
    (r"\btake (me|us|my (email|address|name)) off\b", 0.92), (r"\bopt (me |us )?out\b", 0.9),
    (r"\b(off|from) (your|the) (mailing |email |contact )?list\b", 0.85),
    (r"\bdelete (my|our) (data|details|information|email|address)\b", 0.9),
    (r"\b(never|not) (to )?(contact|email|e-mail) me again\b", 0.92),
    (r"\bdo not (contact|email|e-mail|message) (me|us)\b", 0.92), (r"\bdon't (contact|email|e-mail) (me|us)\b", 0.92),
    (r"\b(no|any) (more|further) (emails|e-mails|messages)\b", 0.85), (r"\bgdpr\b", 0.7),
    # German
    (r"\baustragen\b", 0.95), (r"\btragen sie mich\b.{0,30}\baus\b", 0.92), (r"\babmelden\b", 0.9),
    (r"\b(aus|von) (ihrem|ihrer|dem|der|diesem) (e-?mail-?)?(verteiler|liste|mailingliste|newsletter)\b", 0.9),
    (r"\bkeine (weiteren |weitere )?(e-?mails|mails|nachrichten|werbung)\b", 0.9),
    (r"\bloschen sie (mich|meine)\b", 0.92), (r"\bentfernen sie (mich|meine)\b", 0.92),
    (r"\bmeine (daten|adresse|e-?mail-?adresse) (bitte )?(loschen|entfernen)\b", 0.92),
    (r"\bhoren sie (bitte )?auf\b", 0.9), (r"\bnicht mehr (kontaktieren|anschreiben|schreiben|anmailen)\b", 0.92),
    (r"\bdsgvo\b", 0.7),
    # French
    (r"\bdesinscri", 0.95), (r"\bdesabonn", 0.95), (r"\bretirez[- ]moi\b", 0.92), (r"\bsupprimez[- ]moi\b", 0.92),
    (r"\bne plus (me )?(contacter|recevoir|ecrire|solliciter)\b", 0.92),
    (r"\barretez (de m'|de m |de nous )?(ecrire|envoyer|contacter|solliciter)", 0.92),
    (r"\bsupprimez (mon adresse|mes donnees|mes coordonnees)\b", 0.92), (r"\brgpd\b", 0.7),
    # Spanish
    (r"\b(darme|dame|denme|darnos|deme) de baja\b", 0.95), (r"\bde baja\b", 0.85), (r"\bdesuscrib", 0.95),
    (r"\bno me (escriban|escriba|contacten|contacte|envien|envie|manden)\b", 0.92),
    (r"\bdej(en|e|a) de (enviar|escribir|contactar|mandar)", 0.92),
    (r"\belimin(en|e|ar) mi (direccion|correo|email|contacto)\b", 0.92), (r"\bborr(en|e|ar) mis datos\b", 0.92),
    (r"\b(quitar|sacar)(me|nos) de\b", 0.9), (r"\bcancelar (la |mi )?suscripcion\b", 0.92),
    # Dutch
    (r"\buitschrijven\b", 0.95), (r"\bschrijf (me|mij|ons) uit\b", 0.95), (r"\bafmelden\b", 0.9),
    (r"\bhaal (me|mij|ons) .{0,25}van\b", 0.9), (r"\bverwijder (me|mij|mijn)\b", 0.92),
    (r"\bgeen (e-?mails|mails|berichten|mailtjes) meer\b", 0.92),
    (r"\bstop met (mailen|e-?mailen|sturen|benaderen)\b", 0.92),
    (r"\bniet meer (mailen|benaderen|contacteren|e-?mailen)\b", 0.92), (r"\bavg\b", 0.65),
]
# Phrases that are their own negation: "do not contact me" must not be cancelled by its own "not".
FIXED_UNSUBSCRIBE = {
    r"\b(never|not) (to )?(contact|email|e-mail) me again\b", r"\bdo not (contact|email|e-mail|message) (me|us)\b",
    r"\bdon't (contact|email|e-mail) (me|us)\b", r"\b(no|any) (more|further) (emails|e-mails|messages)\b",
    r"\bkeine (weiteren |weitere )?(e-?mails|mails|nachrichten|werbung)\b",
    r"\bnicht mehr (kontaktieren|anschreiben|schreiben|anmailen)\b",
    r"\bne plus (me )?(contacter|recevoir|ecrire|solliciter)\b",
    r"\bno me (escriban|escriba|contacten|contacte|envien|envie|manden)\b",
    r"\bgeen (e-?mails|mails|berichten|mailtjes) meer\b", r"\bniet meer (mailen|benaderen|contacteren|e-?mailen)\b",
}
# A reply that is nothing but one of these words ("STOP", "Baja") asks to be removed.
UNSUBSCRIBE_ALONE = frozenset({"stop", "unsubscribe", "remove", "baja", "abmelden", "austragen", "afmelden",
                               "desinscription", "desinscrire", "stopp", "uitschrijven", "unsubscribe me"})

NOT_INTERESTED = [
    # English
    (r"\bnot interested\b", 0.92), (r"\bno,? thank(s| you)\b", 0.85), (r"\bnot (a|the right) fit\b", 0.85),
    (r"\b(isn't|is not|not) (a )?(fit|relevant|a priority|for us|the right time)\b", 0.85),
    (r"\bnot (a |our )?priority\b", 0.82), (r"\bwe('re| are) (all set|good|covered|happy with)\b", 0.82),
    (r"\b(already|currently) (have|use|using|work with|working with|signed with)\b", 0.85),
    (r"\bwe('ll| will) pass\b", 0.88), (r"\bpass on this\b", 0.88), (r"\b(don't|do not) need\b", 0.8),
    (r"\bno (need|budget)\b", 0.78), (r"\bnot (right )?now\b", 0.7), (r"\bnot at this (time|point)\b", 0.8),
    (r"\bnot looking\b", 0.82),
    # German
    (r"\bkein(e|en)? interesse\b", 0.95), (r"\bnicht interessiert\b", 0.92), (r"\binteressiert (uns|mich) nicht\b", 0.92),
    (r"\bnicht interessant\b", 0.88), (r"\bkein(en)? bedarf\b", 0.9), (r"\bnein,? danke\b", 0.88),
    (r"\b(haben|nutzen|verwenden|arbeiten) (bereits|schon)\b", 0.82), (r"\bgut versorgt\b", 0.85),
    (r"\bpasst (leider )?nicht\b", 0.8), (r"\bderzeit nicht\b", 0.75), (r"\bleider nicht\b", 0.72),
    # French
    (r"\bpas interesse", 0.92), (r"\bne (nous |m'|me )interesse pas\b", 0.95), (r"\bnon,? merci\b", 0.88),
    (r"\b(avons|utilisons|travaillons) deja\b", 0.85), (r"\bpas (de )?besoin\b", 0.82),
    (r"\bpas (une )?priorite\b", 0.82), (r"\bpas pour nous\b", 0.85), (r"\bpas le moment\b", 0.78),
    (r"\bpas de budget\b", 0.8),
    # Spanish
    (r"\bno (me|nos) interesa\b", 0.95), (r"\bno (estoy|estamos) interesad", 0.92), (r"\bno,? gracias\b", 0.88),
    (r"\bya (tenemos|contamos|usamos|utilizamos|trabajamos)\b", 0.85), (r"\bno (lo )?necesitamos\b", 0.85),
    (r"\bno es (una )?prioridad\b", 0.82), (r"\bno es (para nosotros|el momento)\b", 0.85),
    (r"\bsin presupuesto\b", 0.78),
    # Dutch
    (r"\bgeen interesse\b", 0.95), (r"\bniet geinteresseerd\b", 0.92), (r"\bniet interessant\b", 0.88),
    (r"\bnee,? dank\w*\b", 0.88), (r"\b(hebben|gebruiken|werken) (al|reeds)\b", 0.82), (r"\bgeen behoefte\b", 0.9),
    (r"\bniet nodig\b", 0.8), (r"\bniet voor ons\b", 0.85), (r"\bnu niet\b", 0.72),
]

INTERESTED = [
    # English
    (r"\bsounds (good|great|interesting|promising)\b", 0.85), (r"\blet's (talk|chat|connect|meet|do it|set)\b", 0.88),
    (r"\bbook (a|the) (call|meeting|demo|time)\b", 0.85), (r"\bsend (me|over|us) (some )?(times|availability)\b", 0.88),
    (r"\bcalendar (invite|link)\b", 0.82), (r"\bhow about (mon|tues|wednes|thurs|fri)day\b", 0.88),
    (r"\b(happy|glad|keen|open) to (chat|talk|meet|connect|hop on|learn)\b", 0.88),
    (r"\bopen to a (quick )?(call|chat|conversation)\b", 0.88),
    (r"\b(i'm|i am|we're|we are) (very )?interested\b", 0.88), (r"^\W*interested\b", 0.85),
    (r"\b(see|get|have) a demo\b", 0.85), (r"\b(set|schedule) (up |something up|a )", 0.8),
    (r"\bset something up\b", 0.85), (r"\bworks for me\b", 0.8), (r"\btell me more\b", 0.82),
    (r"\bfind (30|15|20|a few) minutes\b", 0.85), (r"\bcalendly\b", 0.82), (r"\bwould love to\b", 0.82),
    (r"\b(can|could|shall) we (talk|chat|meet|speak)\b", 0.85), (r"\bhear more\b", 0.8),
    (r"\b(mon|tues|wednes|thurs|fri)day (morning|afternoon|at \d)", 0.8),
    # German
    (r"\bklingt (gut|spannend|interessant)\b", 0.85), (r"\blassen sie uns\b", 0.82), (r"\btermin", 0.8),
    (r"\btelefonieren\b", 0.75), (r"\b(ein|einen) (kurzen )?(call|anruf|telefonat|austausch)\b", 0.8),
    (r"\bdemo\b", 0.75), (r"\bmehr erfahren\b", 0.82), (r"\bhatte ich zeit\b", 0.82),
    (r"\bpasst (ihnen|mir|uns) (der |am )?(montag|dienstag|mittwoch|donnerstag|freitag)", 0.85),
    (r"\b(montag|dienstag|mittwoch|donnerstag|freitag)( nachmittag| vormittag| um \d)", 0.8),
    (r"^\W*(ja,? )?gerne\b", 0.8), (r"\bgerne\b", 0.7), (r"\bdas ist interessant\b", 0.85),
    # French
    (r"\bca m'interesse\b", 0.9), (r"^\W*interesse", 0.85), (r"\b(je suis|nous sommes) interesse", 0.88),
    (r"\bvolontiers\b", 0.82),
    (r"\bavec plaisir\b", 0.8), (r"\bs'appeler\b", 0.82), (r"\bprenons rendez-vous\b", 0.88), (r"\brendez-vous\b", 0.78),
    (r"\b(vos|des) disponibilites\b", 0.85), (r"\bun creneau\b", 0.82), (r"\bparlons-en\b", 0.85),
    (r"\b(me|nous) convient\b", 0.8), (r"\bune demo\b", 0.8), (r"\bl'air interessant\b", 0.85),
    # Spanish
    (r"\b(me|nos) interesa\b", 0.88), (r"\bsuena bien\b", 0.85), (r"\bhablemos\b", 0.88),
    (r"\b(agendar|programar|organizar) una (llamada|reunion|demo)\b", 0.88), (r"\bcon gusto\b", 0.78),
    (r"\b(me|nos) viene bien\b", 0.82), (r"\benvie(me|nos) (horarios|disponibilidad)\b", 0.88),
    (r"\b(ver|una) demo\b", 0.8), (r"\bhablamos el\b", 0.85), (r"^\W*interesante\b", 0.82),
    # Dutch
    (r"\blaten we (bellen|praten|afspreken|spreken|een)\b", 0.88), (r"\bklinkt goed\b", 0.85),
    (r"\bafspraak\b", 0.75), (r"\bbelletje\b", 0.82), (r"\bstuur (me|mij) (een paar |wat )?(tijden|data|datums)\b", 0.88),
    (r"\bgraag een (demo|gesprek|afspraak)\b", 0.88), (r"\bopen voor een gesprek\b", 0.88),
    (r"\bwanneer kunnen we\b", 0.85), (r"\bpast (mij|ons) (goed)?\b", 0.8), (r"^\W*interessant\b", 0.82),
]

REFERRAL = [
    # English
    (r"\b(talk|speak) (to|with)\b", 0.8), (r"\breach out to\b", 0.85), (r"\bget in touch with\b", 0.82),
    (r"\b(please )?contact (my|our|her|him)\b", 0.85), (r"\bcontact\b", 0.6), (r"\btry\b", 0.55),
    (r"\bemail\b", 0.55), (r"\bi've moved on\b", 0.8), (r"\bleft the (company|firm|business)\b", 0.8),
    (r"\bno longer (with|at|work)\b", 0.8), (r"\bnot the right (person|contact)\b", 0.75), (r"\bwrong person\b", 0.75),
    (r"\bthe (best|right) (person|contact)\b", 0.82), (r"\b(handles|handled by|owns|in charge of|responsible for)\b", 0.7),
    (r"\bcopied (him|her|them)\b", 0.8), (r"\bwould be for our\b", 0.75), (r"\btook over\b", 0.75),
    # German
    (r"\bwenden sie sich\b", 0.9), (r"\bansprechpartner(in)?\b", 0.85), (r"\bzustandig\b", 0.8),
    (r"\bnicht mehr bei\b", 0.8), (r"\bkontaktieren sie\b", 0.85), (r"\bschreiben sie (an|bitte an)\b", 0.85),
    (r"\bmelden sie sich bei\b", 0.88), (r"\bkolleg(e|in|en)\b", 0.65), (r"\bbei mir falsch\b", 0.8),
    # French
    (r"\bcontactez\b", 0.85), (r"\badressez-vous\b", 0.9), (r"\bs'occupe\b", 0.8), (r"\bne travaille plus\b", 0.82),
    (r"\bla bonne personne\b", 0.85), (r"\becrivez a\b", 0.85), (r"\bvoyez avec\b", 0.88), (r"\bresponsable\b", 0.6),
    # Spanish
    (r"\bhable con\b", 0.88), (r"\bcontact(e|a) con\b", 0.88), (r"\bescriba a\b", 0.85), (r"\bpersona adecuada\b", 0.8),
    (r"\bya no trabajo\b", 0.82), (r"\bel responsable\b", 0.8), (r"\bse encarga", 0.8), (r"\blo lleva\b", 0.75),
    (r"\bel contacto de\b", 0.82),
    # Dutch
    (r"\bneem contact op met\b", 0.9), (r"\bcontact opnemen met\b", 0.88), (r"\bmail naar\b", 0.85),
    (r"\bwerk (hier )?niet meer\b", 0.82), (r"\bjuiste persoon\b", 0.8), (r"\bverantwoordelijk\b", 0.75),
    (r"\bbenader\b", 0.85), (r"\bstuur dit naar\b", 0.85), (r"\bbij .{1,40} zijn\b", 0.7), (r"\bopvolger\b", 0.8),
]
FIXED_REFERRAL = {r"\bnot the right (person|contact)\b", r"\bwerk (hier )?niet meer\b", r"\bne travaille plus\b",
                  r"\bya no trabajo\b", r"\bno longer (with|at|work)\b", r"\bnicht mehr bei\b"}

OTHER = [
    # English
    (r"\bgot it\b", 0.75), (r"^\W*(received|noted)\b", 0.8), (r"\bwill (review|look at|get back)\b", 0.72),
    (r"\bget back to you\b", 0.72), (r"\bi'll (look|take a look|review|check)\b", 0.72),
    (r"\b(forward|pass) (this|it) (along|on|to)\b", 0.75), (r"\bpass it along\b", 0.75),
    (r"\bthanks for the (note|email|info|heads up)\b", 0.65), (r"\bcheers for the\b", 0.65),
    # German
    (r"\bist angekommen\b", 0.8), (r"\bleite (das|es|ihre nachricht) .{0,20}weiter\b", 0.78),
    (r"\bweitergegeben\b", 0.75), (r"\bweitergeleitet\b", 0.75), (r"\bzur kenntnis\b", 0.8),
    (r"\bmelde mich\b", 0.68), (r"\bkomme (darauf|auf sie) zuruck\b", 0.72), (r"\bschaue (es|mir das) mir\b", 0.72),
    (r"\bschaue es mir\b", 0.72),
    # French
    (r"\bbien recu\b", 0.8), (r"\bbien note\b", 0.8), (r"\bje transmets\b", 0.78), (r"\bfait suivre\b", 0.78),
    (r"\breviens vers vous\b", 0.7), (r"\bje regarde\b", 0.7), (r"^\W*recu\b", 0.8),
    # Spanish
    (r"\brecibido\b", 0.8), (r"\btomo nota\b", 0.8), (r"\blo reenvio\b", 0.78), (r"\bse lo he pasado\b", 0.75),
    (r"\blo reviso\b", 0.72), (r"\ble digo algo\b", 0.7),
    # Dutch
    (r"\bontvangen\b", 0.78), (r"\bgenoteerd\b", 0.8), (r"\bstuur het door\b", 0.78), (r"\bdoorgestuurd\b", 0.78),
    (r"\bkom (er|erop) (op )?terug\b", 0.72), (r"\bik kijk er\b", 0.72),
]

# Pricing and product questions are questions even when asked without a question mark.
PRICING = [
    (r"\b(pricing|price|prices|cost|costs|how much|per seat|per user)\b", 0.8),
    (r"\b(preis|preise|kosten|kostet|lizenz)\b", 0.8), (r"\b(prix|tarif|tarification|coute|combien)\b", 0.8),
    (r"\b(precio|precios|cuesta|cuanto|tarifa)\b", 0.8), (r"\b(prijs|prijzen|kost|kosten)\b", 0.8),
]
QUESTION_WORDS = (
    r"what|how|who|which|when|where|why|can|could|do|does|did|is|are|will|would|"
    r"was|wie|wer|welche|welcher|welches|wann|wo|warum|kann|konnen|gibt|haben|sind|ist|"
    r"que|quel|quelle|quels|quelles|comment|combien|pourquoi|ou|est-ce|avez-vous|"
    r"cual|quien|cuando|donde|como|cuanto|tienen|puede|pueden|hay|"
    r"wat|hoe|wie|welke|wanneer|waar|waarom|kunnen|kan|hebben|zijn|is"
)
