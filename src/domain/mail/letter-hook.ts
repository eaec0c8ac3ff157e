import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

/**
 * THE HOOK FOR THE REPLY LETTER (issue 14, item 2): "the reply may attach
 * the letter PDF once that exists". `urp report letter` (another issue) makes
 * that PDF; when it lands it registers its maker here with
 * provideReplyLetter, and every reply mail sent from then on carries the
 * letter as an attachment. Until then no maker is registered and a reply
 * goes without one.
 */
export interface MailAttachment {
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType: string;
}

export type ReplyLetterMaker = (db: Kysely<Database>, reportId: number) => Promise<MailAttachment | undefined>;

let maker: ReplyLetterMaker | undefined;

export function provideReplyLetter(letterMaker: ReplyLetterMaker | undefined): void {
  maker = letterMaker;
}

/** The letter to attach to a report's reply mail, if a maker is registered. */
export async function replyLetterAttachment(db: Kysely<Database>, reportId: number): Promise<MailAttachment | undefined> {
  return maker ? maker(db, reportId) : undefined;
}
