package output

import "testing"

func TestLinker(t *testing.T) {
	dir := &Linker{BasePath: "/"}
	files := &Linker{BasePath: "/", Origin: "https://example.org/", Explicit: true}
	sub := &Linker{BasePath: "/sub/", Explicit: true}
	for _, tc := range []struct {
		l        *Linker
		from, in string
		want     string
	}{
		{dir, "en/rights/x/index.html", `<a href="/en/help/">`, `<a href="../../help/">`},
		{dir, "en/rights/x/index.html", `<a href="/en/rights/y/#a">`, `<a href="../y/#a">`},
		{dir, "en/rights/x/index.html", `<a href="/en/rights/x/">`, `<a href="./">`},
		{dir, "index.html", `<a href="/en/">`, `<a href="en/">`},
		{dir, "en/index.html", `<link href="/css/q.css">`, `<link href="../css/q.css">`},
		{dir, "en/index.html", `<a href="https://other.example/x">`, `<a href="https://other.example/x">`},
		{dir, "en/index.html", `<a href="//cdn.example/x">`, `<a href="//cdn.example/x">`},
		{dir, "en/index.html", `<a href="#top">`, `<a href="#top">`},
		{dir, "en/index.html", `<a href="tel:112">`, `<a href="tel:112">`},
		{files, "en/rights/x/index.html", `<a href="/en/help/">`, `<a href="../../help/index.html">`},
		{files, "en/rights/x/index.html", `<a href="/">`, `<a href="../../../index.html">`},
		{files, "en/rights/x/index.html", `<form data-root="/" data-index="/en/search-index.js">`, `<form data-root="../../../" data-index="../../search-index.js">`},
		{files, "en/index.html", `<link rel="canonical" href="https://example.org/en/">`, `<link rel="canonical" href="index.html">`},
		{files, "en/old/index.html", `<meta http-equiv="refresh" content="0; url=/en/new/">`, `<meta http-equiv="refresh" content="0; url=../new/index.html">`},
		{files, "404.html", `<a href="/en/">`, `<a href="en/index.html">`},
		{sub, "en/index.html", `<a href="/sub/ru/">`, `<a href="../ru/index.html">`},
		{sub, "css/a.css", `body{background:url(/sub/img/x.png)}`, `body{background:url(../img/x.png)}`},
	} {
		if got := string(tc.l.Rewrite(tc.from, []byte(tc.in))); got != tc.want {
			t.Errorf("%s %s: got %s, want %s", tc.from, tc.in, got, tc.want)
		}
	}
}
