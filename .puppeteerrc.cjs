// Puppeteer cannot download its own browser here: tests launch Debian's chromium or firefox-esr.
module.exports = { skipDownload: true };
