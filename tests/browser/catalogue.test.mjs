// An Office editor creates a procedure, a second one approves it, and the
// procedure is on the public site; axe-core finds no WCAG 2.1 AA
// violation on the list and the procedure pages at 360 and 1280 px.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createUsers, launchBrowser, login, startPortal, passwordOf } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [
    ['vanphong1', ['procedures_editor']],
    ['vanphong2', ['procedures_editor']],
  ]);
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

async function as(username) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, portal.base, username, passwordOf(username));
  return page;
}

let publicUrl;

test('an Office editor creates a procedure and another approves it', async () => {
  const first = await as('vanphong1');
  await first.click('text=Thủ tục, dịch vụ công');
  await first.click('text=Thêm mới');
  await first.fill('#f-code', '1.000777');
  await first.fill('#f-name', 'Cấp lại thẻ bảo hiểm y tế do bị mất, hỏng');
  await first.fill('#f-field', 'Cấp sổ, thẻ');
  await first.selectOption('#f-tier', 'local');
  await first.fill('#f-steps', '1. Nộp tờ khai TK1-TS.\n2. Nhận thẻ.');
  await first.fill('#f-processing_time', 'Không quá 03 ngày làm việc.');
  await first.selectOption('#f-online_level', 'full');
  await first.fill('#f-online_url', 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html');
  await first.selectOption('#f-status', 'in_force');
  await first.click('#save');
  await first.waitForURL(/\/editor\/catalogue\/procedures\/\d+\?saved=1/);
  const url = first.url().split('?')[0];
  await first.click('#action-submit');
  await first.waitForLoadState();
  assert.equal(await first.getAttribute('#entry-state', 'data-state'), 'submitted');
  assert.equal(await first.$('#action-approve'), null, 'no approving one\'s own change');

  const second = await as('vanphong2');
  await second.goto(url);
  await second.click('#action-approve');
  await second.waitForLoadState();
  assert.equal(await second.getAttribute('#entry-state', 'data-state'), 'published');
  publicUrl = await second.getAttribute('#entry-facts a', 'href');
  const site = await browser.newPage();
  await site.goto(`${portal.base}${publicUrl}`);
  assert.match(await site.textContent('h1'), /Cấp lại thẻ bảo hiểm y tế/);
  assert.ok(await site.$('text=Nộp hồ sơ trực tuyến'));
});

test('axe-core finds no WCAG 2.1 AA violations on the catalogue pages', async () => {
  assert.ok(publicUrl, 'the procedure was published');
  const list = publicUrl.split('/').slice(0, 3).join('/');
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
    for (const path of [list, `${list}?tier=local&q=the`, publicUrl]) {
      await page.goto(`${portal.base}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways at ${width} px`);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(summary, [], `${path} at ${width} px`);
    }
  }
});
