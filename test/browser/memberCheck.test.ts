import { describe, expect, it } from 'vitest';
import { publishWarning } from '../support/publishWarning.ts';
import {
  chromiumAvailable,
  expectAccessible,
  newPage,
  useBrowserWorld,
  visit,
  type BrowserWorld,
} from './browserHarness.ts';

async function memberCode(world: BrowserWorld): Promise<string> {
  if (!(await world.t.services.organisations.findBySlug('safe-streets'))) {
    await world.t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    await publishWarning(world.t, 'safe-streets', {
      title: 'Silver estate car',
      body: 'Refused to pay.',
      phones: ['07700 900123'],
      registrations: ['KX?? ?BC'],
    });
    await publishWarning(world.t, 'safe-streets', {
      title: 'Blue van',
      body: 'Followed two women.',
      registrations: ['LM65 XYZ'],
    });
  }
  const organisation = (await world.t.services.organisations.findBySlug('safe-streets'))!;
  return (await world.t.services.members.join(organisation.id, { name: 'Kaz' })).code;
}

describe.skipIf(!chromiumAvailable)('the member check in a real browser', () => {
  const world = useBrowserWorld();

  for (const javaScriptEnabled of [true, false]) {
    it(`recognises a number or a plate in one box, finds partial plates both ways and never gives the all-clear for what it cannot read (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const code = await memberCode(world);
      const page = await newPage(world, { javaScriptEnabled, viewport: { width: 360, height: 640 } });
      await visit(world, page, '/members/sign-in');
      await page.getByLabel('Member code').fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${world.baseUrl}/members/warnings`);
      await visit(world, page, '/members/check');
      // One box: nothing to choose before typing.
      expect(await page.getByRole('radio').count()).toBe(0);
      await expectAccessible(page);

      /** Checks a value and waits for the new page, known by a sentence only it has. */
      const check = async (value: string, answered: string) => {
        await page.getByLabel('Phone number or registration').fill(value);
        await page.getByRole('button', { name: 'Check' }).click();
        await page.getByText(answered).first().waitFor();
        return page.locator('main').innerText();
      };

      // A whole plate typed without choosing a type is found in the warning that holds only part of it.
      let text = await check('kx12 abc', 'We checked the registration KX12ABC');
      expect(text).toContain('We checked the registration KX12ABC');
      expect(text).toContain('Silver estate car');
      await expectAccessible(page);
      // A partial plate finds the whole one.
      text = await check('?M65 XY?', 'We checked the partial registration ?M65XY?');
      expect(text).toContain('We checked the partial registration ?M65XY?');
      expect(text).toContain('Blue van');
      text = await check('0044 7700 900123', 'We checked the phone number 07700 900123');
      expect(text).toContain('We checked the phone number 07700 900123');
      expect(text).toContain('Silver estate car');

      // Unreadable: said so, never the all-clear.
      text = await check('call me later', 'There is a problem');
      expect(text).toContain('We could not read that as a phone number or a registration');
      expect(text).not.toContain('not in any warning');
      await expectAccessible(page);

      // Digits that could be either: asked, and checked as chosen.
      text = await check('50051234', 'Is 50051234 a phone number or a vehicle registration?');
      expect(text).toContain('Is 50051234 a phone number or a vehicle registration?');
      expect(text).not.toContain('not in any warning');
      await expectAccessible(page);
      await page.getByLabel('Vehicle registration').check();
      await page.getByRole('button', { name: 'Check' }).click();
      await page.getByText('We checked the registration 50051234').waitFor();
      text = await page.locator('main').innerText();
      expect(text).toContain('We checked the registration 50051234');
      expect(text).toContain('It is not in any warning we have now');
      await expectAccessible(page);
      await page.context().close();
    }, 180_000);
  }
});
