// The operations screens as the Communication Centre walks them: an event
// a unit must publish about is recorded (its due day follows the working
// calendar) and met by linking a published post; the annual report shows
// its charts with text alternatives, prints without the menus, and
// axe-core finds no WCAG 2.1 AA violation on either screen at 360 and
// 1280 px, neither scrolling sideways.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createUsers, launchBrowser, login, passwordOf, publishPosts, startPortal } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let portal;
let browser;
let postUrls;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [
    ['phongvien', ['contributor']],
    ['bientap', ['editor']],
    ['phoban', ['board_deputy_standing']],
  ]);
  postUrls = await publishPosts(portal.base, [
    { edition: 'vi', section: 2, title: 'BHXH tỉnh nhận Bằng khen của Thủ tướng', summary: 'Khen thưởng.', body: 'Nội dung.', genre: 'news' },
    { edition: 'vi', section: 2, title: 'Hướng dẫn thủ tục hưởng chế độ thai sản', summary: 'Hướng dẫn.', body: 'Nội dung.', genre: 'news' },
  ]);
  for (let i = 0; i < 3; i++) await fetch(`${portal.base}${postUrls[1]}`);
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

async function as(username, width = 1280) {
  const page = await (await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true })).newPage();
  await login(page, portal.base, username, passwordOf(username));
  return page;
}

test('an event is recorded, its due day computed, and met by a published post', async () => {
  const editor = await as('bientap');
  await editor.goto(`${portal.base}/editor/provisions`);
  await editor.selectOption('#p-kind', 'award');
  await editor.fill('#p-occurred', '20/11/2026');
  await editor.fill('#p-what', 'Bằng khen của Thủ tướng cho BHXH tỉnh');
  await editor.click('form[aria-labelledby=record-h] button[type=submit]');
  await editor.waitForURL(`${portal.base}/editor/provisions`);
  const row = editor.locator('#provision-events tbody tr', { hasText: 'Bằng khen của Thủ tướng' });
  // 5 working days from Friday 20/11/2026, over a weekend and 24/11.
  assert.match(await row.textContent(), /30\/11\/2026/);
  // A number that is no published post: refused in Vietnamese.
  await row.locator('input[name=item_id]').fill('9999');
  await row.locator('button').click();
  assert.match(await editor.textContent('[role=alert]'), /Không tìm thấy bài/);
  // The award's post is the first one published here: number 1.
  const postId = 1;
  await editor.goto(`${portal.base}/editor/provisions`);
  const again = editor.locator('#provision-events tbody tr', { hasText: 'Bằng khen của Thủ tướng' });
  await again.locator('input[name=item_id]').fill(String(postId));
  await again.locator('button').click();
  await editor.waitForURL(`${portal.base}/editor/provisions`);
  const met = await editor.locator('#provision-events tbody tr', { hasText: 'Bằng khen của Thủ tướng' }).textContent();
  assert.match(met, /Đã đăng (đúng hạn|muộn)/, met);
  assert.match(await editor.textContent('#provision-dashboard'), /100 %|0 %/);
});

test('the annual report: charts with text alternatives, printable', async () => {
  const deputy = await as('phoban');
  await deputy.goto(`${portal.base}/editor/reports/annual`);
  const charts = await deputy.locator('figure.chart svg[role=img]').count();
  assert.ok(charts >= 2, `${charts} charts`);
  assert.match(await deputy.getAttribute('figure.chart svg >> nth=0', 'aria-label'), /Tin bài đăng theo tháng/);
  assert.match(await deputy.textContent('#publications_by_edition + div'), /vi\s*2/);
  // Views reach the database within one flush interval (10 s).
  for (let i = 0; i < 30 && !/Hướng dẫn thủ tục/.test(await deputy.textContent('#most_read + div')); i++) {
    await new Promise((r) => setTimeout(r, 500));
    await deputy.reload();
  }
  assert.match(await deputy.textContent('#most_read + div'), /Hướng dẫn thủ tục hưởng chế độ thai sản\s*Tin tức.*3/s);
  await deputy.emulateMedia({ media: 'print' });
  assert.equal(await deputy.isVisible('header.top'), false, 'no menu on paper');
  await deputy.emulateMedia({ media: 'screen' });
  const href = await deputy.getAttribute('a[download]', 'href');
  const file = await deputy.request.get(`${portal.base}${href.replace(/&amp;/g, '&')}`);
  assert.equal(file.status(), 200);
  assert.equal((await file.body()).subarray(0, 2).toString(), 'PK');
});

test('axe-core finds no WCAG 2.1 AA violations on the operations screens', async () => {
  const shots = process.env.SCREENSHOTS;
  for (const width of [360, 1280]) {
    const page = await as('bientap', width);
    for (const path of ['/editor/provisions', '/editor/reports/annual']) {
      await page.goto(`${portal.base}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways at ${width} px`);
      if (shots) await page.screenshot({ path: `${shots}/${path.replace(/\W+/g, '_')}-${width}.png`, fullPage: true });
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(summary, [], `${path} at ${width} px`);
    }
  }
});
