import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { writeTransaction } from '../../storage/transactions.js';
import type { Actor } from '../actor.js';
import { civilDateKey, civilDateOf } from '../calendar.js';
import { authorize } from '../operators.js';
import { type OverdueEntry, overdue } from '../overdue.js';
import type { Settings } from '../settings.js';
import type { DocumentLanguage as Language } from '../vocabulary.js';
import { formatMailDate, mailText, officeValues } from './message-content.js';
import { MAIL_PERMISSIONS, queueMessage, urpAddress } from './outbox.js';

/**
 * `urp mail digest` (issue 14), once a day from cron: to each area's manager
 * the area's reports late to reply and due within the due-soon window; to URP
 * (the urp-email setting) those late to assign and due to be assigned. The
 * lists come from the morning printout's own query (overdue.ts). Each digest
 * is queued once per day: a second run the same day adds nothing.
 */
export interface DigestResult {
  readonly queued: number;
  /** Already queued today. */
  readonly alreadyQueued: number;
  /** Nothing late nor due: no message. */
  readonly nothingToSay: number;
  /** Areas with something to say but no e-mail address (and URP without urp-email). */
  readonly withoutAddress: string[];
}

function listLines(entries: readonly OverdueEntry[], settings: Settings, language: Language): string {
  if (entries.length === 0) return language === 'it' ? '  (nessuna)' : '  (none)';
  const dueWord = language === 'it' ? 'scadenza' : 'due';
  return entries.map((entry) => `  ${entry.number}  ${dueWord} ${formatMailDate(entry.dueAt, language, settings.timeZone, entry.deadline === 'assign')}  ${mailText(entry.subject).replace(/\s+/g, ' ')}`).join('\n');
}

type AreaForDigest = { id: number; code: string; name: string; manager: string | null; email: string | null };

/** The fields of an area's digest, and whether it has anything to say. */
export async function areaDigest(db: Kysely<Database>, settings: Settings, asOf: Date, area: AreaForDigest) {
  const language = settings.mailLanguage;
  const { lateToReply, dueSoon } = await overdue(db, asOf, { areaIds: [area.id], soonDays: settings.dueSoonDays });
  const soon = dueSoon.filter((entry) => entry.deadline === 'reply');
  return {
    empty: lateToReply.length === 0 && soon.length === 0,
    values: {
      ...officeValues(settings),
      date: formatMailDate(asOf.toISOString(), language, settings.timeZone),
      dueSoonDays: String(settings.dueSoonDays),
      area: area.code,
      areaName: mailText(area.name),
      manager: mailText(area.manager),
      lateCount: String(lateToReply.length),
      dueSoonCount: String(soon.length),
      lateList: listLines(lateToReply, settings, language),
      dueSoonList: listLines(soon, settings, language),
    },
  };
}

/** The fields of URP's digest: reports late to assign and due to be assigned. */
export async function urpDigest(db: Kysely<Database>, settings: Settings, asOf: Date) {
  const language = settings.mailLanguage;
  const all = await overdue(db, asOf, { soonDays: settings.dueSoonDays });
  const soon = all.dueSoon.filter((entry) => entry.deadline === 'assign');
  return {
    empty: all.lateToAssign.length === 0 && soon.length === 0,
    values: {
      ...officeValues(settings),
      date: formatMailDate(asOf.toISOString(), language, settings.timeZone),
      dueSoonDays: String(settings.dueSoonDays),
      lateCount: String(all.lateToAssign.length),
      dueSoonCount: String(soon.length),
      lateList: listLines(all.lateToAssign, settings, language),
      dueSoonList: listLines(soon, settings, language),
    },
  };
}

export async function queueDigests(db: Kysely<Database>, actor: Actor, settings: Settings, asOf: Date): Promise<DigestResult> {
  await authorize(db, actor, MAIL_PERMISSIONS.digest);
  const day = civilDateKey(civilDateOf(asOf, settings.timeZone));
  const result = { queued: 0, alreadyQueued: 0, nothingToSay: 0, withoutAddress: [] as string[] };

  return writeTransaction(db, async (trx) => {
    const queue = async (key: string, send: (key: string) => Promise<unknown>) => {
      if (await trx.selectFrom('outbox').select('id').where('dedupe_key', '=', key).executeTakeFirst()) result.alreadyQueued++;
      else {
        await send(key);
        result.queued++;
      }
    };

    const areas = await trx.selectFrom('areas').select(['id', 'code', 'name', 'manager', 'email']).where('active', '=', 1).orderBy('code').execute();
    for (const area of areas) {
      const digest = await areaDigest(trx, settings, asOf, area);
      if (digest.empty) result.nothingToSay++;
      else if (!area.email) result.withoutAddress.push(area.code);
      else {
        await queue(`digest-area:${area.code}:${day}`, (dedupeKey) =>
          queueMessage(trx, actor, settings, {
            kind: 'digest-area', reportId: null, citizenId: null, areaId: area.id, recipient: 'area',
            route: { channel: 'email', address: area.email }, toName: area.manager, dedupeKey, values: digest.values,
          }),
        );
      }
    }

    const digest = await urpDigest(trx, settings, asOf);
    const address = urpAddress(settings);
    if (digest.empty) result.nothingToSay++;
    else if (!address) result.withoutAddress.push('urp');
    else {
      await queue(`digest-urp:${day}`, (dedupeKey) =>
        queueMessage(trx, actor, settings, {
          kind: 'digest-urp', reportId: null, citizenId: null, areaId: null, recipient: 'urp',
          route: { channel: 'email', address }, toName: null, dedupeKey, values: digest.values,
        }),
      );
    }
    return result;
  });
}
