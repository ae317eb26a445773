// The editor's everyday screens as the newsroom uses them: an old
// published post is found through the list (typed without diacritics)
// and corrected; a 5 MB photo is uploaded from the post editor with a
// progress bar; an attachment is taken out of a post; alt text is fixed
// in the library; a deputy holding the wrong role sees who can act; and
// axe-core finds no WCAG 2.1 AA violation on the new screens at 360 and
// 1280 px, none scrolling sideways.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, createUsers, launchBrowser, login, passwordOf, publishPosts, startPortal } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let portal;
let browser;
let publicUrls;

// A PNG of random pixels: noise does not compress, so `side`² × 3 bytes.
function noisePng(side) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = [];
  for (let y = 0; y < side; y++) rows.push(Buffer.from([0]), randomBytes(side * 3));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [
    ['phongvien', ['contributor']],
    ['bientap', ['editor']],
    ['phoban', ['board_deputy_standing']],
    ['phoban2', ['board_deputy']],
  ]);
  publicUrls = await publishPosts(portal.base, [
    { edition: 'vi', section: 2, title: 'Hội nghị tổng kết công tác bảo hiểm y tế năm 2019', summary: 'Tổng kết.', body: 'Nội dung cũ.', genre: 'news' },
    { edition: 'vi', section: 2, title: 'Tin mới trong ngày', summary: 'Mới.', body: 'Nội dung.', genre: 'news' },
  ]);
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

test('an old published post is found through the list and corrected', async () => {
  const editor = await as('bientap');
  await editor.goto(`${portal.base}/editor/posts`);
  await editor.fill('#f-q', 'bao hiem y te 2019');
  await editor.click('form[role=search] button[type=submit]');
  await editor.waitForURL(/q=bao/);
  const rows = editor.locator('table.list tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /Hội nghị tổng kết.*Đã xuất bản/s);
  assert.match(await editor.textContent('nav.tabs'), /Đã xuất bản \(1\)/);
  await rows.first().locator('a').first().click();
  await editor.waitForURL(/\/editor\/posts\/\d+$/);
  await editor.fill('#f-title', 'Hội nghị tổng kết công tác bảo hiểm y tế năm 2019 (đính chính)');
  await editor.click('#save');
  await editor.waitForURL(/saved=1/);
  assert.match(await editor.textContent('#post-state'), /Bản nháp/);
  await editor.goto(`${portal.base}/editor/posts?state=draft`);
  assert.match(await editor.textContent('table.list'), /\(đính chính\)/);
});

test('a 5 MB photo is uploaded from the post editor, then an attachment taken out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'upload-'));
  const photo = join(dir, 'anh-hoi-nghi.png');
  writeFileSync(photo, noisePng(1300));
  const doc = join(dir, 'tai-lieu-thu.txt');
  writeFileSync(doc, 'Tệp thử, không được đăng.');
  const writer = await as('phongvien');
  await writer.goto(`${portal.base}/editor/posts/new?edition=vi`);
  await writer.fill('#f-title', 'Bài có ảnh lớn');
  await writer.fill('#f-body', 'Nội dung.');
  await writer.click('#save');
  await writer.waitForURL(/\/editor\/posts\/\d+$/);
  const postUrl = writer.url();
  await writer.setInputFiles('#u-file', photo);
  await writer.fill('#u-alt', 'Toàn cảnh hội nghị');
  await writer.click('#upload');
  await writer.waitForURL(/saved=1/, { timeout: 60_000 });
  assert.match(await writer.inputValue('#f-body'), /!\[Toàn cảnh hội nghị\]\(\/media\/\d+\//);
  await writer.setInputFiles('#u-file', doc);
  await writer.check('input[name=use][value=attachment]');
  await writer.click('#upload');
  await writer.waitForURL(/saved=1/);
  assert.match(await writer.textContent('#attachments'), /tai-lieu-thu\.txt/);
  await writer.uncheck('#attachments input[type=checkbox]');
  await writer.click('#save');
  await writer.waitForURL(/saved=1/);
  assert.equal(await writer.locator('#attachments').count(), 0, 'the attachment is gone');
  // A file over the limit is refused in Vietnamese, beside the form.
  await writer.goto(postUrl);
  writeFileSync(join(dir, 'qua-lon.png'), noisePng(2700));
  await writer.setInputFiles('#u-file', join(dir, 'qua-lon.png'));
  await writer.click('#upload');
  await writer.waitForSelector('form[data-upload] p.error', { timeout: 60_000 });
  assert.match(await writer.textContent('form[data-upload] p.error'), /Tệp (quá lớn|lớn hơn)/);
});

test('alt text is fixed in the library, and an unused file deleted', async () => {
  const editor = await as('bientap');
  await editor.goto(`${portal.base}/editor/media?missing_alt=1&view=list`);
  assert.match(await editor.textContent('#media-count'), /: 0$/);
  await editor.goto(`${portal.base}/editor/media?kind=image`);
  await editor.click('.media-grid a');
  await editor.waitForURL(/\/editor\/media\/\d+$/);
  assert.match(await editor.textContent('#media-uses'), /Bài có ảnh lớn/);
  await editor.fill('#m-alt', 'Toàn cảnh hội nghị tổng kết năm 2019');
  await editor.fill('#m-credit', 'Nguyễn Văn A');
  await editor.click('#media-save');
  await editor.waitForURL(/done=saved/);
  assert.equal(await editor.inputValue('#m-alt'), 'Toàn cảnh hội nghị tổng kết năm 2019');
  assert.equal(await editor.locator('#media-delete').count(), 0, 'a used file offers no deletion');
  await editor.goto(`${portal.base}/editor/media?kind=document&view=list`);
  await editor.click('table.list a');
  await editor.click('#media-delete');
  await editor.waitForURL(/done=deleted/);
  assert.match(await editor.textContent('.flash'), /Đã xóa/);
});

test('a deputy holding the wrong role sees the step and who can act', async () => {
  const writer = await as('phongvien');
  await writer.goto(`${portal.base}/editor/posts/new?edition=vi`);
  await writer.fill('#f-title', 'Bài chờ Phó Trưởng ban Thường trực');
  await writer.fill('#f-body', 'Nội dung.');
  await writer.click('#save');
  await writer.waitForURL(/\/editor\/posts\/\d+$/);
  const url = writer.url();
  await writer.click('#action-submit');
  await writer.waitForURL(url);
  const editor = await as('bientap');
  await editor.goto(url);
  await editor.click('#action-approve');
  await editor.waitForURL(url);
  const deputy = await as('phoban2');
  await deputy.goto(url);
  const box = await deputy.textContent('#who-acts');
  assert.match(box, /2\/\d: Phó Trưởng ban Thường trực/);
  assert.match(box, /User phoban\b/);
  assert.match(box, /không giữ vai trò của bước này/);
  assert.equal(await deputy.locator('#action-approve').count(), 0);
});

test('axe-core finds no WCAG 2.1 AA violations on the list and library screens', async () => {
  const shots = process.env.SCREENSHOTS;
  for (const width of [360, 1280]) {
    const page = await as('bientap', width);
    for (const path of ['/editor/posts', '/editor/media', '/editor/media?view=list', '/editor/media/1', '/editor/posts/3']) {
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

test('a refused action stays on the post, says why in Vietnamese, and the lock is gone after submitting', async () => {
  const writer = await as('phongvien');
  await writer.goto(`${portal.base}/editor/posts/new?edition=vi`);
  await writer.fill('#f-title', 'Bài cần sửa');
  await writer.fill('#f-body', 'Nội dung.');
  await writer.click('#save');
  await writer.waitForURL(/\/editor\/posts\/\d+$/);
  const url = writer.url();
  await writer.click('#action-submit');
  await writer.waitForURL(url);
  const editor = await as('bientap');
  await editor.goto(url);
  assert.equal(await editor.locator('p.error[role=alert]', { hasText: 'đang sửa' }).count(), 0, 'no lock banner after the author submitted');
  await editor.click('#action-request_changes');
  await editor.waitForURL(url);
  assert.equal(editor.url(), url, 'not left on /transition');
  assert.match(await editor.textContent('[role=alert]'), /Cần ghi ý kiến nêu lý do/);
  await editor.reload();
  assert.equal(await editor.locator('main [role=alert]').count(), 0, 'said once');
});

test('a diff shows changed words side by side and an earlier revision is restored as a draft', async () => {
  const editor = await as('bientap');
  await editor.goto(`${portal.base}/editor/posts?q=hoi+nghi+tong+ket`);
  await editor.locator('table.list tbody tr a').first().click();
  await editor.waitForURL(/\/editor\/posts\/\d+$/);
  const url = editor.url();
  await editor.goto(`${url}/diff?from=1&to=2`);
  assert.match(await editor.textContent('main'), /Tiêu đề/);
  assert.equal((await editor.textContent('.diff-row ins')).trim(), '(đính chính)');
  assert.doesNotMatch(await editor.textContent('main'), /^[-+]{3} |No newline/m);
  if (process.env.SCREENSHOTS) {
    for (const width of [360, 1280]) {
      await editor.setViewportSize({ width, height: 900 });
      await editor.screenshot({ path: `${process.env.SCREENSHOTS}/diff-${width}.png`, fullPage: true });
    }
  }
  await editor.click('#restore');
  await editor.waitForURL(/restored=1/);
  assert.equal(await editor.inputValue('#f-title'), 'Hội nghị tổng kết công tác bảo hiểm y tế năm 2019');
  assert.match(await editor.textContent('#post-state'), /Bản nháp/);
});

test('the writing toolbar formats the selection, by button and by shortcut', async () => {
  const writer = await as('phongvien');
  await writer.goto(`${portal.base}/editor/posts/new?edition=vi`);
  await writer.fill('#f-body', 'lương hưu');
  await writer.locator('#f-body').selectText();
  await writer.click('.toolbar button:has-text("Đậm")');
  assert.equal(await writer.inputValue('#f-body'), '**lương hưu**');
  await writer.fill('#f-body', 'thai sản');
  await writer.locator('#f-body').selectText();
  await writer.keyboard.press('Control+i');
  assert.equal(await writer.inputValue('#f-body'), '_thai sản_');
  await writer.click('.toolbar button:has-text("Tiêu đề mục")');
  assert.equal(await writer.inputValue('#f-body'), '## _thai sản_');
  await writer.click('.toolbar button:has-text("Ảnh từ thư viện")');
  await writer.waitForSelector('#library-picker ul.picker button');
  await writer.click('#library-picker ul.picker button');
  assert.match(await writer.inputValue('#f-body'), /!\[Toàn cảnh hội nghị tổng kết năm 2019\]\(\/media\/\d+\/\d+\.webp\)/);
  await writer.waitForFunction(() => document.querySelector('#preview img') !== null);
});

test('a draft is previewed as its public page through an expiring link', async () => {
  const writer = await as('phongvien');
  await writer.goto(`${portal.base}/editor/posts/new?edition=vi`);
  await writer.fill('#f-title', 'Bài xem trước');
  await writer.fill('#f-body', 'Nội dung **nháp**.');
  await writer.click('#save');
  await writer.waitForURL(/\/editor\/posts\/\d+/);
  await writer.click('#make-preview');
  await writer.waitForURL(/preview=/);
  const link = await writer.getAttribute('#preview-url', 'href');
  const anonymous = await (await browser.newContext()).newPage();
  const resp = await anonymous.goto(link);
  assert.equal(resp.status(), 200);
  assert.match(resp.headers()['x-robots-tag'], /noindex/);
  assert.match(await anonymous.textContent('.preview-banner'), /Bản xem trước/);
  assert.match(await anonymous.textContent('article h1'), /Bài xem trước/);
  assert.equal((await anonymous.goto(link.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).status(), 404);
});

test('staff see an edit link on the public article; a translation is started and linked', async () => {
  const editor = await as('bientap');
  await editor.goto(`${portal.base}${publicUrls[1]}`);
  await editor.click('a.staff-edit');
  await editor.waitForURL(/\/editor\/posts\/\d+$/);
  const url = editor.url();
  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto(`${portal.base}${publicUrls[1]}`);
  assert.equal(await anonymous.locator('a.staff-edit').count(), 0);
  await editor.click('#start-translation');
  await editor.waitForURL((u) => u.toString() !== url && /\/editor\/posts\/\d+$/.test(u.toString()));
  assert.match(await editor.textContent('#translation'), /Tin mới trong ngày/);
  await editor.goto(url);
  assert.match(await editor.textContent('#translation'), /Tin mới trong ngày/);
  assert.match(await editor.textContent('#translation h2'), /tiếng Anh/);
});

test('the chain editor offers roles and units as choices, keeps units, and warns of a step nobody holds', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await login(page, portal.base, 'admin', ADMIN_PASSWORD);
  await page.goto(`${portal.base}/editor/sections`);
  await page.locator('ol.tree > li > details > summary').first().click();
  await page.selectOption('#c1-role2', 'board_head');
  const unit = await page.locator('#c1-unit2 option').nth(1).getAttribute('value');
  await page.selectOption('#c1-unit2', unit);
  await page.click('form[action="/editor/sections/1/chain"] button[type=submit]');
  await page.waitForLoadState();
  await page.goto(`${portal.base}/editor/sections`);
  assert.equal(await page.inputValue('#c1-role2'), 'board_head');
  assert.equal(await page.inputValue('#c1-unit2'), unit, 'the unit is kept');
  assert.match(await page.locator('form[action="/editor/sections/1/chain"]').textContent(), /Chưa có tài khoản nào đang hoạt động giữ vai trò này/);
});

test('administrators keep units with their contacts and the calendar of days off; the screens pass axe-core', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
  await login(page, portal.base, 'admin', ADMIN_PASSWORD);
  await page.goto(`${portal.base}/editor/units`);
  await page.fill('#nu-code', 'bhxh_ha_noi');
  await page.selectOption('#nu-kind', 'provincial');
  await page.fill('#nu-vi', 'BHXH thành phố Hà Nội');
  await page.fill('#nu-en', 'Hanoi Social Security');
  await page.fill('#nu-address', '86 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội');
  await page.fill('#nu-phone', '024 3942 1234');
  await page.fill('#nu-email', 'khong-hop-le');
  await page.evaluate(() => { document.getElementById('nu-email').type = 'text'; });
  await page.click('form[action="/editor/units"] button[type=submit]');
  await page.waitForLoadState();
  assert.match(await page.textContent('[role=alert]'), /thư điện tử|Thư điện tử|không hợp lệ/i);
  assert.equal(await page.inputValue('#nu-address'), '86 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội', 'what was typed is kept');
  await page.fill('#nu-email', 'hanoi@bhxh.gov.vn');
  await page.click('form[action="/editor/units"] button[type=submit]');
  await page.waitForURL(/saved=1/);
  assert.match(await page.textContent('#units'), /BHXH thành phố Hà Nội[\s\S]*024 3942 1234 · hanoi@bhxh.gov.vn/);
  await page.goto(`${portal.base}/editor/calendar?year=2026`);
  assert.equal(await page.getAttribute('time[datetime="2026-09-02"]', 'datetime'), '2026-09-02');
  assert.match(await page.locator('td:has(time[datetime="2026-09-02"])').getAttribute('class'), /holiday/);
  assert.match(await page.locator('td:has(time[datetime="2026-11-24"])').getAttribute('class'), /holiday/, 'Vietnam Culture Day from 2026');
  await page.fill('#cal-date', '31/12/2026');
  await page.fill('#cal-reason', 'Thông báo số 1/TB-BHXH');
  await page.click('#declare-form button[type=submit]');
  await page.waitForURL(/saved=1/);
  assert.match(await page.locator('td:has(time[datetime="2026-12-31"])').getAttribute('class'), /declared-off/);
  assert.match(await page.textContent('#declared'), /31\/12\/2026 — Nghỉ theo thông báo: Thông báo số 1\/TB-BHXH/);
  const shots = process.env.SCREENSHOTS;
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of ['/editor/units', '/editor/calendar?year=2026', '/editor/notifications']) {
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
