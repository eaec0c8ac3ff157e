import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMAIL_KEY, addCitizen, findCitizens, identifyCitizen, updateCitizen, validateCitizen } from '../../src/domain/citizens.js';
import { InputError } from '../../src/domain/errors.js';
import { importReports } from '../../src/domain/import/importer.js';
import type { Store } from '../../src/storage/database.js';
import { actorAt, memoryStore, queryPlans, settings } from '../helpers/store.js';

// Citizens' e-mails and phones in the register: stored as typed (local part)
// and normalised (domain in punycode, phone in E.164), found again whatever
// the case of the local part, through the e-mail's index.

let store: Store;
const actor = actorAt('2026-11-20T08:00:00Z');
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(() => store.close());

async function rawCitizen(email: string, phone: string | null = null) {
  // As an older register wrote it (lower case throughout), without today's validation.
  await store.db
    .insertInto('citizens')
    .values({ first_name: 'Old', last_name: 'Row', email, phone, search_name: 'row old', created_at: actor.now.toISOString(), updated_at: actor.now.toISOString() })
    .execute();
}

async function inputErrorKey(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof InputError) return `${error.field}:${error.key}`;
    throw error;
  }
  return 'no error';
}

describe('e-mail in the register', () => {
  it('stores the local part as typed and the domain lower-case in punycode', async () => {
    const mario = await addCitizen(store.db, actor, { firstName: 'Mario', lastName: 'Rossi', email: 'Mario.Rossi@Università.IT' });
    expect(mario.email).toBe('Mario.Rossi@xn--universit-y1a.it');
  });

  it('finds the same citizen however the address is typed: case of the local part, Unicode or punycode', async () => {
    const mario = await addCitizen(store.db, actor, { firstName: 'Mario', lastName: 'Rossi', email: 'Mario.Rossi@università.it' });
    for (const typed of ['mario.rossi@università.it', 'MARIO.ROSSI@XN--UNIVERSIT-Y1A.IT', 'Mario.Rossi@xn--universit-y1a.it']) {
      expect(await identifyCitizen(store.db, validateCitizen({ firstName: 'mario', lastName: 'ROSSI', email: typed })), typed).toMatchObject({ kind: 'existing', citizen: { id: mario.id } });
      expect((await findCitizens(store.db, typed)).map((citizen) => citizen.id), typed).toEqual([mario.id]);
    }
    // A second citizen with the same address in another case is refused, naming the first.
    expect(await inputErrorKey(addCitizen(store.db, actor, { firstName: 'Anna', lastName: 'Rossi', email: 'MARIO.ROSSI@università.it' }))).toBe('email:citizen.belongsTo.email');
  });

  it("matches an older register's lower-case addresses", async () => {
    await rawCitizen('anna.bianchi@example.it');
    const found = await identifyCitizen(store.db, validateCitizen({ firstName: 'Old', lastName: 'Row', email: 'Anna.Bianchi@example.it' }));
    expect(found).toMatchObject({ kind: 'existing', citizen: { firstName: 'Old' } });
    expect(await inputErrorKey(addCitizen(store.db, actor, { firstName: 'Anna', lastName: 'Bianchi', email: 'ANNA.BIANCHI@example.it' }))).toBe('email:citizen.belongsTo.email');
  });

  it('lets a citizen change the case of their own address', async () => {
    const mario = await addCitizen(store.db, actor, { firstName: 'Mario', lastName: 'Rossi', email: 'mario.rossi@example.it' });
    expect((await updateCitizen(store.db, actor, mario.id, { email: 'Mario.Rossi@example.it' })).email).toBe('Mario.Rossi@example.it');
  });

  it('reads the e-mail index, never the whole table, to find an address whatever its case', async () => {
    for (let n = 0; n < 50; n++) await rawCitizen(`persona${n}@example.it`);
    const lookUp = (email: string) => store.db.selectFrom('citizens').select('email').where(EMAIL_KEY, '=', email.toLowerCase()).executeTakeFirst();
    const plans = await queryPlans(store, () => lookUp('PERSONA7@example.it'));
    expect(plans.length).toBeGreaterThan(0);
    for (const { source, plan } of plans) expect(plan, source).toMatch(/USING INDEX citizens_email_key \(<expr>=\?\)/);
    expect(await lookUp('PERSONA7@example.it')).toEqual({ email: 'persona7@example.it' });
    expect(await lookUp('persona77@example.it')).toBeUndefined();
  });

  it('imports a row whose address differs only in case as the same citizen', async () => {
    const mario = await addCitizen(store.db, actor, { firstName: 'Mario', lastName: 'Rossi', email: 'Mario.Rossi@example.it' });
    const file = join(mkdtempSync(join(tmpdir(), 'urp-contacts-')), 'rows.csv');
    writeFileSync(
      file,
      'tipo;canale;data;nome;cognome;email;oggetto\n' +
        'segnalazione;e-mail;19/11/2026 09:30;Mario;Rossi;MARIO.ROSSI@EXAMPLE.IT;Buca\n' +
        'segnalazione;e-mail;19/11/2026 10:30;Luca;Verdi;Luca.Verdi@example.it;Lampione\n' +
        'segnalazione;e-mail;19/11/2026 11:30;Luca;Verdi;luca.verdi@example.it;Lampione di nuovo\n',
    );
    const summary = await importReports(store.db, actor, settings, { path: file, format: 'csv', encoding: 'utf8', dryRun: false, skipInvalid: false });
    expect(summary.imported).toBe(3);
    const citizens = await store.db.selectFrom('citizens').select(['id', 'email']).orderBy('id').execute();
    // Mario reused; Luca created once, with his address as first written.
    expect(citizens).toEqual([
      { id: mario.id, email: 'Mario.Rossi@example.it' },
      { id: mario.id + 1, email: 'Luca.Verdi@example.it' },
    ]);
  });
});

describe('phones in the register', () => {
  it('stores E.164 and finds the citizen by the number typed any way', async () => {
    const anna = await addCitizen(store.db, actor, { firstName: 'Anna', lastName: 'Smith', phone: '+44 (0) 20 7946 0958' });
    expect(anna.phone).toBe('+442079460958');
    for (const typed of ['+44 20 7946 0958', '0044 20 7946 0958', '+44 020 7946 0958']) {
      expect((await findCitizens(store.db, typed)).map((citizen) => citizen.id), typed).toEqual([anna.id]);
    }
  });

  it('says why a number is refused, naming the field', async () => {
    expect(await inputErrorKey(addCitizen(store.db, actor, { firstName: 'A', lastName: 'B', phone: '3001234567' }))).toBe('phone:phone.notInUse');
    expect(await inputErrorKey(addCitizen(store.db, actor, { firstName: 'A', lastName: 'B', phone: '80012345' }))).toBe('phone:phone.notInUse');
    expect(await inputErrorKey(addCitizen(store.db, actor, { firstName: 'A', lastName: 'B', phone: '+999 123456' }))).toBe('phone:phone.unknownCountry');
    expect(await inputErrorKey(addCitizen(store.db, actor, { firstName: 'A', lastName: 'B', phone: '0331' }))).toBe('phone:phone.tooShort');
  });
});
