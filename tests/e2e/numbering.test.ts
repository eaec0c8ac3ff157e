import { afterAll, beforeAll, expect, it } from 'vitest';
import { query, tempWorkspace, urpWith } from '../helpers/cli.js';

const workspace = tempWorkspace();
const urp = urpWith(workspace.db);
beforeAll(async () => {
  expect((await urp(['citizen', 'add', '--first-name', 'Anna', '--last-name', 'Bianchi', '--email', 'anna@example.it'])).code).toBe(0);
});
afterAll(() => workspace.cleanup());

it('8 processes registering 25 reports each at once get 200 distinct, gap-free numbers', async () => {
  const clerk = async (clerkNumber: number) => {
    const numbers: string[] = [];
    for (let index = 0; index < 25; index++) {
      const result = await urp(
        ['report', 'new', '--type', 'problem', '--channel', 'phone', '--subject', `clerk ${clerkNumber} report ${index}`, '--citizen', '1'],
        { env: { URP_OPERATOR: `clerk-${clerkNumber}` } },
      );
      expect(result.stderr).not.toMatch(/locked|busy/i);
      expect(result.code).toBe(0);
      numbers.push(result.stdout.trim());
    }
    return numbers;
  };
  const printed = (await Promise.all(Array.from({ length: 8 }, (_, clerkNumber) => clerk(clerkNumber)))).flat();
  const year = new Date().getFullYear();
  const expected = Array.from({ length: 200 }, (_, index) => `${year}/${String(index + 1).padStart(6, '0')}`);
  expect([...printed].sort()).toEqual(expected);
  const stored = query<{ number: string }>(workspace.db, 'select number from reports order by number').map((row) => row.number);
  expect(stored).toEqual(expected);
  expect(query(workspace.db, `select count(*) as n from report_events where kind = 'registered'`)).toEqual([{ n: 200 }]);
}, 180_000);
