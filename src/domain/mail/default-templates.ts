/**
 * The texts urp ships for each message, in Italian and English. An office
 * replaces them with `urp template set`; `urp template show` prints them.
 * A line whose fields are all empty is left out (see renderText).
 */
type Texts = Record<'it' | 'en', { subject: string; body: string }>;

const OFFICE_IT = `{organisation} — Ufficio Relazioni con il Pubblico
{officeAddress}
Telefono: {officePhone}
E-mail: {officeEmail}
Orari: {officeHours}`;

const OFFICE_EN = `{organisation} — Public Relations Office (URP)
{officeAddress}
Phone: {officePhone}
E-mail: {officeEmail}
Opening hours: {officeHours}`;

export const DEFAULT_TEMPLATES: Record<'receipt' | 'assignment' | 'reply' | 'digest-area' | 'digest-urp', Texts> = {
  receipt: {
    it: {
      subject: 'Segnalazione {number} ricevuta',
      body: `Gentile {citizenName},

la sua segnalazione è stata registrata con il numero {number}.

Tipo: {type}
Oggetto: {subject}
Ricevuta il: {receivedAt}

Cosa succede ora: l'URP la assegna all'ufficio competente entro {assignHours} ore dal ricevimento; l'ufficio le risponderà entro il {replyDue} ({replyDays} giorni). Nelle comunicazioni successive citi il numero {number}.

${OFFICE_IT}

Messaggio inviato automaticamente.`,
    },
    en: {
      subject: 'Report {number} received',
      body: `Dear {citizenName},

your report has been registered with the number {number}.

Type: {type}
Subject: {subject}
Received on: {receivedAt}

What happens next: URP assigns it to the competent office within {assignHours} hours of receipt; that office will reply by {replyDue} ({replyDays} days). Please quote the number {number} in any further message.

${OFFICE_EN}

This message was sent automatically.`,
    },
  },
  assignment: {
    it: {
      subject: 'Segnalazione {number} assegnata all\'area {areaName}',
      body: `Alla cortese attenzione di {manager},

l'URP ha assegnato all'area {areaName} la segnalazione {number}.

Tipo: {type}
Oggetto: {subject}
Categoria: {category}
Luogo: {location}
Cittadino: {citizenName}
Ricevuta il: {receivedAt}
Risposta al cittadino entro il: {replyDue}

Descrizione: {description}

Per la presa in carico:
  {ackCommand}

${OFFICE_IT}`,
    },
    en: {
      subject: 'Report {number} assigned to {areaName}',
      body: `For the attention of {manager},

URP has assigned the report {number} to {areaName}.

Type: {type}
Subject: {subject}
Category: {category}
Location: {location}
Citizen: {citizenName}
Received on: {receivedAt}
Reply to the citizen by: {replyDue}

Description: {description}

To take it in charge:
  {ackCommand}

${OFFICE_EN}`,
    },
  },
  reply: {
    it: {
      subject: 'Risposta alla segnalazione {number}',
      body: `Gentile {citizenName},

in merito alla sua segnalazione {number} ("{subject}"), ricevuta il {receivedAt}, le comunichiamo quanto segue.

{replyText}

Esito: {outcome}
Data della risposta: {replyDate}

{areaName}
${OFFICE_IT}`,
    },
    en: {
      subject: 'Reply to your report {number}',
      body: `Dear {citizenName},

regarding your report {number} ("{subject}"), received on {receivedAt}, we can tell you the following.

{replyText}

Outcome: {outcome}
Date of the reply: {replyDate}

{areaName}
${OFFICE_EN}`,
    },
  },
  'digest-area': {
    it: {
      subject: 'Area {areaName}: segnalazioni in ritardo e in scadenza al {date}',
      body: `Alla cortese attenzione di {manager},

situazione delle segnalazioni dell'area {areaName} al {date}.

In ritardo nella risposta ({lateCount}):
{lateList}

In scadenza entro {dueSoonDays} giorni ({dueSoonCount}):
{dueSoonList}

L'elenco aggiornato: urp overdue --area {area}

${OFFICE_IT}`,
    },
    en: {
      subject: '{areaName}: late and due reports as of {date}',
      body: `For the attention of {manager},

the reports of {areaName} as of {date}.

Late to reply ({lateCount}):
{lateList}

Due within {dueSoonDays} days ({dueSoonCount}):
{dueSoonList}

The current list: urp overdue --area {area}

${OFFICE_EN}`,
    },
  },
  'digest-urp': {
    it: {
      subject: 'URP: segnalazioni da assegnare al {date}',
      body: `Segnalazioni ancora da assegnare al {date}.

In ritardo (oltre il termine di assegnazione) ({lateCount}):
{lateList}

Da assegnare entro {dueSoonDays} giorni ({dueSoonCount}):
{dueSoonList}

L'elenco aggiornato: urp overdue

{organisation}`,
    },
    en: {
      subject: 'URP: reports to assign as of {date}',
      body: `Reports still to assign as of {date}.

Late (past the assignment deadline) ({lateCount}):
{lateList}

To assign within {dueSoonDays} days ({dueSoonCount}):
{dueSoonList}

The current list: urp overdue

{organisation}`,
    },
  },
};
