// scratch: element screenshots for looking (not committed)
import { launch, openApp } from './browser.mjs';
const width = Number(process.argv[2] || 1280);
const browser = await launch();
const app = await openApp(browser, { viewport: { width, height: 800 } });
const { page } = app;
await page.check('input[name=model][value="parallel"]');
await page.fill('#chefs', '2');
await page.click('#run');
await page.waitForSelector('.breakdown', { timeout: 60000 });
await page.locator('.results').screenshot({ path: `/tmp/scratch14/results-${width}.png` });
await page.click('#compare');
await page.waitForSelector('.compare[aria-busy="false"]', { timeout: 60000 });
await page.locator('.compare').screenshot({ path: `/tmp/scratch14/compare-${width}.png` });
await page.click('#sweep');
await page.waitForSelector('.sweep[aria-busy="false"]', { timeout: 120000 });
await page.locator('.sweep').screenshot({ path: `/tmp/scratch14/sweep-${width}.png` });
console.log(app.errors);
await app.close(); await browser.close();
