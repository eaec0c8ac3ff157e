import type { Area } from '../../domain/areas.js';
import type { Category } from '../../domain/categories.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';

function yesNo(context: CliContext, value: boolean): string {
  if (context.language === 'it') return value ? 'sì' : 'no';
  return value ? 'yes' : 'no';
}

export function areaColumns(context: CliContext): Column<Area>[] {
  const it = context.language === 'it';
  return [
    { header: it ? 'codice' : 'code', value: (area) => area.code },
    { header: it ? 'nome' : 'name', value: (area) => area.name },
    { header: it ? 'responsabile' : 'manager', value: (area) => area.manager ?? '' },
    { header: 'e-mail', value: (area) => area.email ?? '' },
    { header: it ? 'attiva' : 'active', value: (area) => yesNo(context, area.active) },
  ];
}

export function categoryColumns(context: CliContext): Column<Category>[] {
  const it = context.language === 'it';
  return [
    { header: it ? 'codice' : 'code', value: (category) => category.code },
    { header: it ? 'nome' : 'name', value: (category) => category.name },
    { header: it ? 'area predefinita' : 'default area', value: (category) => category.area ?? '' },
    { header: it ? 'attiva' : 'active', value: (category) => yesNo(context, category.active) },
  ];
}
