// The royalty screens as their users walk them: Finance sets the year's
// budget, an editor proposes the royalty of a published post (a coefficient
// out of range is refused in Vietnamese and the form keeps what was typed),
// the standing deputy approves, Finance records the payment and downloads
// the statement; axe-core finds no WCAG 2.1 AA violation on these screens
// at 360 and 1280 px, and none scrolls sideways.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createUsers, launchBrowser, login, passwordOf, publishPosts, startPortal } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let portal;
let browser;
let proposalUrl;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [
    ['phongvien', ['contributor']],
    ['bientap', ['editor']],
    ['phoban', ['board_deputy_standing']],
    ['ketoan', ['finance']],
  ]);
  await publishPosts(portal.base, [{
    edition: 'vi', section: 2, title: 'Tăng lương cơ sở từ ngày 1/7/2026',
    summary: 'Mức lương cơ sở mới là 2.530.000 đồng.', body: 'Nội dung tin.', genre: 'news',
  }]);
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

test('budget, proposal, approval, payment and statement', async () => {
  const year = new Date().getFullYear();
  const finance = await as('ketoan');
  await finance.goto(`${portal.base}/editor/royalties/rates`);
  assert.match(await finance.textContent('#unit-value'), /253\.000 đ/);
  await finance.fill(`input[aria-label*="${year}"] >> nth=0`, '50000000');
  await finance.click('#budgets form >> nth=0 >> button');
  await finance.waitForURL(`${portal.base}/editor/royalties/rates`);
  assert.match(await finance.textContent('#budgets'), /50\.000\.000 đ/);

  const editor = await as('bientap');
  await editor.goto(`${portal.base}/editor/royalties`);
  await editor.click('#royalty-waiting >> text=Tăng lương cơ sở từ ngày 1/7/2026');
  await editor.selectOption('#genre', 'news');
  await editor.fill('#coefficient', '12');
  await editor.click('#propose-form button[type=submit]');
  assert.match(await editor.textContent('[role=alert]'), /Phải từ 1 đến 10/);
  assert.equal(await editor.inputValue('#coefficient'), '12', 'the form keeps what was typed');
  await editor.fill('#coefficient', '7,5');
  await editor.click('#propose-form button[type=submit]');
  await editor.waitForURL(/\/editor\/royalties\/proposals\/\d+$/);
  proposalUrl = editor.url();
  assert.equal((await editor.textContent('#proposal-status')).trim(), 'Chờ duyệt');
  assert.equal((await editor.textContent('#proposal-total')).trim(), '1.897.500 đ');
  assert.equal(await editor.$('#form-approve'), null, 'the proposer cannot approve');

  const deputy = await as('phoban');
  await deputy.goto(proposalUrl);
  await deputy.click('#form-approve button');
  await deputy.waitForURL(proposalUrl);
  assert.equal((await deputy.textContent('#proposal-status')).trim(), 'Đã duyệt, chờ chi trả');

  await finance.goto(`${portal.base}/editor/royalties`);
  await finance.click('#royalty-approved >> text=Tăng lương cơ sở từ ngày 1/7/2026');
  await finance.fill('#reference', 'PC-2026-0042');
  await finance.click('#form-pay button');
  await finance.waitForURL(proposalUrl);
  assert.equal((await finance.textContent('#proposal-status')).trim(), 'Đã chi trả');
  assert.match(await finance.textContent('#proposal-lines'), /1\.897\.500 đ/);

  await finance.goto(`${portal.base}/editor/royalties/statements`);
  assert.match(await finance.textContent('#statement'), /Tổng cộng.*1\.897\.500 đ/s);
  const href = await finance.getAttribute('#download-xlsx', 'href');
  const file = await finance.request.get(`${portal.base}${href}`);
  assert.equal(file.status(), 200);
  assert.equal((await file.body()).subarray(0, 2).toString(), 'PK');
});

test('axe-core finds no WCAG 2.1 AA violations on the royalty screens', async () => {
  assert.ok(proposalUrl, 'the proposal was made');
  const shots = process.env.SCREENSHOTS;
  const screens = [
    ['ketoan', ['/editor/royalties', proposalUrl.replace(portal.base, ''), '/editor/royalties/statements', '/editor/royalties/rates']],
    // The editor sees the proposal form again: a correction of a paid work.
    ['bientap', ['/editor/royalties/sheets/1']],
  ];
  for (const width of [360, 1280]) for (const [user, paths] of screens) {
    const page = await as(user, width);
    for (const path of paths) {
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
