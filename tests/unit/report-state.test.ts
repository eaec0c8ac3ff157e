import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isLateToAssign,
  isLateToReply,
  isOpen,
  lateToAssignSql,
  lateToReplySql,
  openSql,
  queuedSql,
  unassignedSql,
} from '../../src/domain/report-state.js';
import { statuses } from '../../src/domain/vocabulary.js';
import type { Store } from '../../src/storage/database.js';
import { memoryStore } from '../helpers/store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

describe('the open statuses, once', () => {
  it('are written by the SQL fragments exactly as the partial indexes of the schema write them', () => {
    const indexes = store.sqlite.prepare(`select name, sql from sqlite_master where type = 'index' and name like 'reports_open_%'`).all() as Array<{ name: string; sql: string }>;
    const predicate = (name: string) => {
      const definition = indexes.find((index) => index.name === name)?.sql;
      expect(definition, name).toBeDefined();
      // The partial index's WHERE clause: what follows the last closing parenthesis of the column list.
      return normalise(/\)\s*where\s+(.*)$/is.exec(definition!)![1]!);
    };
    const compiled = (fragment: ReturnType<typeof openSql>) => normalise(fragment.compile(store.db).sql);
    expect(indexes.map((index) => index.name).sort()).toEqual(['reports_open_area', 'reports_open_assign_due', 'reports_open_reply_due']);
    expect(compiled(unassignedSql())).toBe(predicate('reports_open_assign_due'));
    expect(compiled(openSql())).toBe(predicate('reports_open_reply_due'));
    expect(compiled(queuedSql())).toBe(predicate('reports_open_area'));
  });

  it('agree between JavaScript and SQL for every status', async () => {
    for (const status of statuses.codes) {
      const { rows } = await sql<{ open: number; queued: number }>`select ${openSql()} as open, ${queuedSql()} as queued from (select ${status} as status)`.execute(store.db);
      expect(Boolean(rows[0]!.open), status).toBe(isOpen(status));
      expect(Boolean(rows[0]!.queued), status).toBe(isOpen(status) || status === 'answered');
    }
  });
});

describe('late to assign and late to reply, once', () => {
  it('give the same answer in JavaScript and in SQL for every status, before, at and after the deadline', async () => {
    const due = '2026-11-20T10:00:00.000Z';
    let late = { assign: 0, reply: 0 };
    for (const status of statuses.codes) {
      for (const asOf of ['2026-11-20T09:59:59.999Z', due, '2026-11-20T10:00:00.001Z']) {
        const { rows } = await sql<{ assign: number; reply: number }>`
          select ${lateToAssignSql(asOf)} as assign, ${lateToReplySql(asOf)} as reply
          from (select ${status} as status, ${due} as assign_due_at, ${due} as reply_due_at)`.execute(store.db);
        expect(Boolean(rows[0]!.assign), `${status} ${asOf}`).toBe(isLateToAssign(status, due, asOf));
        expect(Boolean(rows[0]!.reply), `${status} ${asOf}`).toBe(isLateToReply(status, due, asOf));
        late = { assign: late.assign + rows[0]!.assign, reply: late.reply + rows[0]!.reply };
      }
    }
    // Only after the deadline: registered for the assignment; registered, assigned, acknowledged for the reply.
    expect(late).toEqual({ assign: 1, reply: 3 });
  });
});
