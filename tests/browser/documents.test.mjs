// A citizen comments on a draft open for consultation; the directory, the
// legal documents and the draft pass axe-core (WCAG 2.1 AA) at 360 and
// 1280 px without sideways scrolling.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createUsers, launchBrowser, publishEntries, startPortal } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let portal;
let browser;
let documentUrl;
let draftUrl;
let directoryUrl;

const inDays = (days) => new Date(Date.now() + days * 86400000).toISOString();

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [
    ['phongvien', ['contributor']],
    ['bientap', ['editor']],
    ['phoban', ['board_deputy_standing']],
  ]);
  const units = await (await fetch(`${portal.base}/api/v1/units`)).json();
  [documentUrl] = await publishEntries(portal.base, 'documents', [{
    number: '41/2024/QH15',
    title: 'Luật Bảo hiểm xã hội',
    form: 'law',
    issuer: 'Quốc hội',
    issued_on: '2024-06-29',
    effective_from: '2025-07-01',
    field: 'Bảo hiểm xã hội',
    summary: 'Luật quy định về quyền, trách nhiệm của các bên tham gia bảo hiểm xã hội.',
  }]);
  [draftUrl] = await publishEntries(portal.base, 'consultations', [{
    title: 'Dự thảo Quyết định ban hành quy trình thu bảo hiểm xã hội',
    summary: 'Lấy ý kiến rộng rãi về dự thảo.',
    body: '**Điều 1.** Phạm vi điều chỉnh.\n\n**Điều 2.** Đối tượng áp dụng.',
    drafting_unit_id: units[0].id,
    opens_at: inDays(-1),
    closes_at: inDays(20),
  }]);
  [directoryUrl] = await publishEntries(portal.base, 'directory', [{
    name: 'Văn phòng Bảo hiểm xã hội Việt Nam',
    name_en: 'Office of Vietnam Social Security',
    group: 'department',
    address: 'Số 7 Tràng Thi, Hoàn Kiếm, Hà Nội',
    phone: '1900 9068',
    email: 'vanphong@example.vn',
    leaders: [{ name: 'Chánh Văn phòng', title: 'Chánh Văn phòng', phone: '1900 9068' }],
  }]);
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test('a citizen comments on an open draft', async () => {
  const page = await browser.newPage();
  await page.goto(`${portal.base}${draftUrl}`);
  assert.match(await page.textContent('#consultation-h'), /Đang lấy ý kiến/);
  await page.click('text=Gửi ý kiến góp ý');
  await page.fill('#c-name', 'Phạm Thị D');
  await page.fill('#c-email', 'd@example.vn');
  await page.fill('#c-clause', 'Điều 2');
  await page.fill('#c-text', 'Đề nghị bổ sung hộ kinh doanh vào đối tượng áp dụng.');
  await page.check('input[name=consent]');
  await page.click('#comment-submit');
  await page.waitForLoadState();
  assert.ok(await page.$('text=sẽ được đăng sau khi kiểm duyệt'));
});

test('axe-core finds no WCAG 2.1 AA violations on documents, drafts and the directory', async () => {
  const list = (url) => url.split('/').slice(0, 3).join('/');
  const paths = [documentUrl, list(documentUrl), `${list(documentUrl)}?status=in_force`, draftUrl, `${draftUrl}/gop-y`, directoryUrl, list(directoryUrl),
    '/vi/gioi-thieu-bao-hiem-xa-hoi-viet-nam/to-chuc-bo-may-cua-bao-hiem-xa-hoi-viet-nam', '/en/about-us/organizational-structure'];
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 }, bypassCSP: true });
    for (const path of paths) {
      await page.goto(`${portal.base}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways at ${width} px`);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], `${path} at ${width} px`);
    }
    await page.close();
  }
});
