// Package browser holds the real-browser tests of the site: quick exit,
// accessibility (axe-core), privacy, pages without JavaScript, screenshots,
// small screens and live reload, in headless Chromium driven by chromedp.
//
// The package has no code of its own. Run its tests with
//
//	go test ./generator/browser/ -v -count=1
//
// They need Chromium (apt-get install chromium; QORGAU_CHROMIUM names
// another binary) and, for the accessibility
// tests, axe-core from npm, found through AXE_CORE_JS (the path of
// axe.min.js) or in <repo>/node_modules/axe-core/axe.min.js:
//
//	npm install --prefix /tmp/qorgau-npm axe-core
//	AXE_CORE_JS=/tmp/qorgau-npm/node_modules/axe-core/axe.min.js go test ./generator/browser/
//
// Without them the tests are skipped, except when CI=true, where a missing
// browser or a missing axe-core fails them.
package browser
