import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Actor } from '../actor.js';
import { findAreaRow } from '../areas.js';
import { InputError } from '../errors.js';
import { authorize } from '../operators.js';
import { parseReportNumber } from '../report-numbers.js';
import type { Settings } from '../settings.js';
import type { DocumentLanguage as Language } from '../vocabulary.js';
import { areaDigest, urpDigest } from './digest.js';
import { assignmentValues, receiptValues, replyValues, reportForMail } from './message-content.js';
import { MAIL_PERMISSIONS } from './permissions.js';
import { type TemplateName, getTemplate, renderSubject, renderText } from './templates.js';

/**
 * `urp template preview <name> <number>`: the message as it would go out
 * now, rendered with the template in force and the report's data (an area's
 * code for digest-area; nothing for digest-urp). Nothing is queued.
 */
export async function previewMessage(
  db: Kysely<Database>,
  actor: Actor,
  settings: Settings,
  name: TemplateName,
  language: Language,
  subjectText: string | undefined,
  asOf: Date,
): Promise<{ subject: string; body: string }> {
  await authorize(db, actor, MAIL_PERMISSIONS.templatesRead);
  const inLanguage = { ...settings, mailLanguage: language };
  let values: Record<string, string>;
  if (name === 'digest-urp') values = (await urpDigest(db, inLanguage, asOf)).values;
  else if (name === 'digest-area') {
    if (!subjectText) throw new InputError('mailTemplate.previewNeeds', { name, what: 'area' }, 'area');
    values = (await areaDigest(db, inLanguage, asOf, await findAreaRow(db, subjectText))).values;
  } else {
    if (!subjectText) throw new InputError('mailTemplate.previewNeeds', { name, what: 'number' }, 'number');
    const { number } = parseReportNumber(subjectText);
    const row = await db.selectFrom('reports').select('id').where('number', '=', number).executeTakeFirst();
    if (!row) throw new InputError('report.unknown', { number }, 'number');
    const report = await reportForMail(db, row.id);
    if (name === 'receipt') values = receiptValues(report, inLanguage, language);
    else if (name === 'assignment') values = assignmentValues(report, inLanguage, language);
    else {
      const reply = await db.selectFrom('replies').select(['text', 'outcome', 'sent_at']).where('report_id', '=', row.id).orderBy('id', 'desc').executeTakeFirst();
      if (!reply) throw new InputError('mailTemplate.noReply', { number }, 'number');
      values = replyValues(report, { text: reply.text, outcome: reply.outcome, sentAt: reply.sent_at }, inLanguage, language);
    }
  }
  const template = await getTemplate(db, name, language);
  return { subject: renderSubject(template.subject, values), body: renderText(template.body, values) };
}
