import type { Area } from '../../domain/areas.js';
import type { Category } from '../../domain/categories.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';

function yesNo(context: CliContext, value: boolean): string {
  return context.t(value ? 'sheet.yes' : 'sheet.no');
}

export function areaColumns(context: CliContext): Column<Area>[] {
  return [
    { header: context.t('column.code'), value: (area) => area.code },
    { header: context.t('column.name'), value: (area) => area.name },
    { header: context.t('column.manager'), value: (area) => area.manager ?? '' },
    { header: context.t('column.email'), value: (area) => area.email ?? '' },
    { header: context.t('column.active'), value: (area) => yesNo(context, area.active) },
  ];
}

export function categoryColumns(context: CliContext): Column<Category>[] {
  return [
    { header: context.t('column.code'), value: (category) => category.code },
    { header: context.t('column.name'), value: (category) => category.name },
    { header: context.t('column.defaultArea'), value: (category) => category.area ?? '' },
    { header: context.t('column.active'), value: (category) => yesNo(context, category.active) },
  ];
}
