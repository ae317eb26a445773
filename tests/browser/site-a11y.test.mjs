// Key public pages of both editions pass axe-core at WCAG 2.1 AA and do
// not scroll sideways at 360 px or 1280 px.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createUsers, launchBrowser, publishPosts, startPortal } from './harness.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const shots = new URL('./screenshots/', import.meta.url).pathname;

let portal;
let browser;
let pages;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  await createUsers(portal.base, [['phongvien', ['contributor']], ['bientap', ['editor']], ['phoban', ['board_deputy_standing']]]);
  const [vi, en] = await publishPosts(portal.base, [
    {
      edition: 'vi', section: 2, title: 'Hướng dẫn đăng ký tài khoản VssID',
      summary: 'Các bước đăng ký trên ứng dụng.',
      body: 'Người tham gia **cần chuẩn bị**:\n\n| Giấy tờ | Ghi chú |\n|---|---|\n| Căn cước | Bản chính |\n\n[Xem thêm trên Cổng dịch vụ công](https://dichvucong.gov.vn)',
      authors: [{ name: 'Ban Biên tập' }], source: 'BHXH Việt Nam',
    },
    { edition: 'en', section: 2, title: 'VssID registration guide', summary: 'How to register.', body: 'Steps to **register**.' },
  ]);
  pages = ['/vi/', '/vi/tin-tuc', vi, '/vi/so-do-cong-thong-tin', '/vi/lien-he', '/vi/hoi-dap', '/vi/hoi-dap/dat-cau-hoi', '/vi/hoi-dap/tra-cuu', '/en/', '/en/news', en, '/en/sitemap', '/en/faqs/ask',
    '/vi/tim-kiem?q=vssid', '/en/search?q=vssid', '/vi/tim-kiem?q=khong+co+gi+ca+xyz', '/vi/kha-nang-tiep-can', '/en/accessibility', '/en/faqs'];
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

test('axe-core finds no WCAG 2.1 AA violations at 360 and 1280 px', async () => {
  for (const width of [360, 1280]) {
    // axe is injected as an inline script, which the portal's CSP forbids.
    const page = await browser.newPage({ bypassCSP: true, viewport: { width, height: 900 } });
    for (const path of pages) {
      await page.goto(`${portal.base}${path}`);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(summary, [], `${path} has violations at ${width} px`);
    }
    await page.close();
  }
});

test('no horizontal scrolling at 360 px and 1280 px', async () => {
  for (const width of [360, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const blocked = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && blocked.push(m.text()));
    for (const path of pages) {
      await page.goto(`${portal.base}${path}`);
      assert.deepEqual(blocked, [], `${path}: the page's own CSP blocks it`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow} px at ${width} px`);
    }
    await page.goto(`${portal.base}${pages[2]}`);
    await page.screenshot({ path: `${shots}article-${width}.png`, fullPage: true });
    await page.goto(`${portal.base}/vi/`);
    await page.screenshot({ path: `${shots}home-${width}.png`, fullPage: false });
    await page.close();
  }
});
