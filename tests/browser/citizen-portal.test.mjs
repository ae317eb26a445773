// The citizen's portal on a phone and a desktop: the section-tree menu
// folded behind a keyboard-operable button, the header within a fifth of
// the phone screen, the first search result on the first phone screen,
// the home page's blocks, and reading aids that work without JavaScript.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createUsers, launchBrowser, publishPosts, startPortal } from './harness.mjs';

const shots = `${process.env.SCREENSHOTS ?? new URL('./screenshots', import.meta.url).pathname}/`;
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [['phongvien', ['contributor']], ['bientap', ['editor']], ['phoban', ['board_deputy_standing']]]);
  await publishPosts(portal.base, [
    { edition: 'vi', section: 2, title: 'Cấp lại thẻ bảo hiểm y tế khi bị mất', summary: 'Thủ tục cấp lại thẻ BHYT.', body: 'Người tham gia **bảo hiểm y tế** bị mất thẻ được cấp lại.' },
    { edition: 'vi', section: 2, title: 'Mức hưởng lương hưu năm 2026', summary: 'Cách tính lương hưu.', body: 'Lương hưu hằng tháng được tính theo số năm đóng.' },
    { edition: 'en', section: 2, title: 'Health insurance card reissue', summary: 'How to get a new card.', body: 'A lost **health insurance** card is reissued.' },
  ]);
  // Wait for the search index to take the posts in.
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${portal.base}/api/v1/search?q=bao+hiem+y+te&edition=vi`);
    if (r.ok && (await r.json()).total > 0) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test('on a phone the menu folds behind a button that the keyboard opens', async () => {
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(`${portal.base}/vi/`);
  const header = await page.locator('header.site').boundingBox();
  assert.ok(header.height <= PHONE.height / 5, `the header takes ${header.height} px of ${PHONE.height}`);
  assert.equal(await page.locator('.nav-wide').isVisible(), false, 'the wide menu is hidden on phones');
  const menuLink = page.locator('details.nav-narrow .tree-menu a', { hasText: 'Hội đồng quản lý' });
  assert.equal(await menuLink.isVisible(), false, 'the menu starts folded');
  await page.screenshot({ path: `${shots}portal-home-360.png` });
  // Tab from the top of the page to the menu button, open it with Enter.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.tagName === 'SUMMARY')) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY', 'the menu button takes the focus');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('details.nav-narrow').getAttribute('open'), '', 'Enter opens it');
  assert.ok(await menuLink.isVisible(), 'the tree shows, second level included');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.closest('details.nav-narrow') !== null);
  assert.ok(focused, 'the next Tab goes into the menu');
  await page.screenshot({ path: `${shots}portal-menu-open-360.png` });
  await page.locator('details.nav-narrow > summary').press('Enter');
  assert.equal(await menuLink.isVisible(), false, 'Enter closes it again');
  await page.close();
});

test('on a desktop the whole tree is in the bar and a section opens its items on focus', async () => {
  const page = await browser.newPage({ viewport: DESKTOP });
  await page.goto(`${portal.base}/vi/`);
  assert.equal(await page.locator('details.nav-narrow').isVisible(), false);
  const item = page.locator('.nav-wide .sub a', { hasText: 'Hội đồng quản lý' });
  assert.equal(await item.isVisible(), false);
  await page.locator('.nav-wide .menu > li > a', { hasText: 'Giới thiệu Bảo hiểm xã hội Việt Nam' }).focus();
  assert.ok(await item.isVisible(), 'focus shows the section\'s items');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Hội đồng quản lý', 'Tab walks into them');
  await page.screenshot({ path: `${shots}portal-menu-1280.png` });
  await page.goto(`${portal.base}/vi/`);
  await page.screenshot({ path: `${shots}portal-home-1280.png`, fullPage: true });
  await page.goto(`${portal.base}/en/`);
  await page.screenshot({ path: `${shots}portal-home-en-1280.png`, fullPage: true });
  await page.close();
});

test('the first search result is on the first phone screen, with the filters folded', async () => {
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(`${portal.base}/vi/tim-kiem?q=the+bhyt`);
  const first = page.locator('ol.results > li').first();
  await first.waitFor();
  const box = await first.boundingBox();
  assert.ok(box.y + 40 <= PHONE.height, `the first result starts at ${box.y} px`);
  assert.equal(await page.locator('#search-from').isVisible(), false, 'the filters are folded');
  assert.match(await first.innerText(), /bảo hiểm y tế/i, 'the abbreviation found its expansion');
  await page.screenshot({ path: `${shots}portal-search-360.png` });
  await page.locator('details.search-filters > summary').click();
  assert.equal(await page.locator('#search-from').getAttribute('placeholder'), 'dd/mm/yyyy');
  await page.fill('#search-from', '31/02/2026');
  await page.locator('.search-options button').click();
  assert.match(await page.locator('.notice.error').innerText(), /ngày\/tháng\/năm/, 'a wrong date is said in Vietnamese');
  assert.equal(await page.locator('#search-from').inputValue(), '31/02/2026', 'what was typed stays');
  await page.fill('#search-from', '01/01/2026');
  await page.locator('.search-options button').click();
  assert.equal(await page.locator('#search-from').inputValue(), '01/01/2026', 'a date is shown back as dd/mm/yyyy');
  await page.close();
});

test('reading aids work without JavaScript and persist across pages', async () => {
  const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${portal.base}/vi/tin-tuc`);
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const before = await size();
  await page.locator('ul.aids-wide a', { hasText: 'A+' }).click();
  await page.waitForURL(`${portal.base}/vi/tin-tuc`);
  assert.ok(await size() > before, 'the text is larger');
  await page.locator('ul.aids-wide a', { hasText: 'Tương phản cao' }).click();
  await page.goto(`${portal.base}/vi/`);
  assert.ok(await size() > before, 'the size holds on the next page');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(0, 0, 0)', 'high contrast holds too');
  await page.screenshot({ path: `${shots}portal-contrast-1280.png` });
  await context.close();
});
