import { describe, expect, it } from 'vitest';
import { channels, outcomes, replyChannels, reportTypes, statsGroups, statuses } from '../../src/domain/vocabulary.js';

/** Input as clerks type it (issue 16): codes, labels in either language, synonyms, whatever the case and accents. */
describe('the vocabulary reads', () => {
  it('channels by code, label and the words a clerk uses', () => {
    expect(channels.parse('posta')).toBe('paper');
    expect(channels.parse('Lettera')).toBe('paper');
    expect(channels.parse('cartaceo')).toBe('paper');
    expect(channels.parse('mail')).toBe('email');
    expect(channels.parse('E-mail')).toBe('email');
    expect(channels.parse('telefonata')).toBe('phone');
    expect(channels.parse('telefono')).toBe('phone');
    expect(channels.parse('posta certificata')).toBe('pec');
    expect(channels.parse('fax')).toBeUndefined();
  });

  it('types, statuses, outcomes and reply channels, in Italian and English', () => {
    expect(reportTypes.parse('segnalazione')).toBe('problem');
    expect(reportTypes.parse('problem report')).toBe('problem');
    expect(reportTypes.parse('proposta')).toBe('suggestion');
    expect(reportTypes.parse('lamentela')).toBeUndefined();
    expect(statuses.parse('presa in carico')).toBe('acknowledged');
    expect(outcomes.parse('non di competenza')).toBe('not_competent');
    expect(outcomes.parse('Risolta')).toBe('resolved');
    expect(replyChannels.parse('posta')).toBe('letter');
  });

  it('the groups of stats --by, in Italian too', () => {
    expect(statsGroups.parse('mese')).toBe('month');
    expect(statsGroups.parse('tipo')).toBe('type');
    expect(statsGroups.parse('canale')).toBe('channel');
    expect(statsGroups.parse('categoria')).toBe('category');
    expect(statsGroups.parse('area')).toBe('area');
    expect(statsGroups.parse('settimana')).toBeUndefined();
  });

  it('labels each code in the language asked for', () => {
    expect(channels.label('paper', 'it')).toBe('cartaceo');
    expect(channels.label('paper', 'en')).toBe('paper');
    expect(statuses.label('answered', 'it')).toBe('risposta inviata');
  });
});
