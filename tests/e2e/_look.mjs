// Scratch: screenshots for looking (not a test).
import { launch, openApp, SHOTS } from './browser.mjs';
const browser = await launch();
const app = await openApp(browser);
const { page } = app;
await page.screenshot({ path: '/tmp/i13/start-1280.png' });
await page.click('#run');
await page.waitForSelector('#wall', { timeout: 60000 });
await page.waitForTimeout(300);
await page.$eval('.results .tl .tl-scrubber', (i) => { i.value = '250'; i.dispatchEvent(new Event('input', { bubbles: true })); });
await page.waitForTimeout(300);
await page.screenshot({ path: '/tmp/i13/run-1280.png' });
await page.setViewportSize({ width: 480, height: 800 });
await page.waitForTimeout(400);
await page.screenshot({ path: '/tmp/i13/run-480.png' });
await page.screenshot({ path: '/tmp/i13/run-480-full.png', fullPage: true });
console.log(app.errors);
await app.close(); await browser.close();
