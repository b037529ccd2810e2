// Package corpus writes a synthetic multilingual site of realistic lessons,
// for benchmarks and load tests: N pages in each of kk, ru and en, spread
// over sections, with Cyrillic text, tables, lists, callouts, links between
// pages and full front matter.
package corpus

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/qorgau/qorgau/generator/internal/images/imagetest"
)

// Options describe the corpus.
type Options struct {
	Pages    int      // pages per language
	Langs    []string // language codes; default kk, ru, en
	Sections int      // sections per language; default 4
	ThemeDir string   // theme folder copied to themes/<name>; empty: none
	Seed     uint64   // random seed; the same seed gives the same corpus
	// Handouts leaves the PDF handouts on. Off by default: the peers the
	// harness compares with make no PDFs, so the figures compare the same
	// work.
	Handouts bool
	// Photos adds that many 4000 × 3000 photos (about 3 MB each, with a
	// phone's EXIF) to the first language, three per lesson in a
	// "photos" section: the images benchmark.
	Photos int
}

var words = map[string][]string{
	"kk": strings.Fields("құқық бала отбасы зорлық көмек қауіпсіздік заң мектеп мұғалім ата-ана қорғау белгі сөйлесу сенім полиция орталық байланыс күш ауыр жеңіл зиян денсаулық әйел ер адам жасөспірім өмір үй қоғам шешім ұйым маман психолог қолдау тыңдау айту сұрақ жауап сабақ мақсат уақыт жағдай оқиға көрші дос әріптес жедел телефон тегін тәулік"),
	"ru": strings.Fields("право ребёнок семья насилие помощь безопасность закон школа учитель родители защита признак разговор доверие полиция центр связь сила тяжкий лёгкий вред здоровье женщина мужчина человек подросток жизнь дом общество решение организация специалист психолог поддержка слушать сказать вопрос ответ урок цель время ситуация случай сосед друг коллега срочный телефон бесплатный круглосуточно"),
	"en": strings.Fields("right child family violence help safety law school teacher parent protection sign conversation trust police centre contact force serious minor harm health woman man person teenager life home society decision organisation specialist psychologist support listen tell question answer lesson goal time situation case neighbour friend colleague urgent phone free around clock"),
}

var sectionNames = []string{"rights", "warning-signs", "child-protection", "penalties", "help", "educators", "stories", "resources"}

// Write creates the corpus under dir.
func Write(dir string, opts Options) error {
	if len(opts.Langs) == 0 {
		opts.Langs = []string{"kk", "ru", "en"}
	}
	if opts.Sections <= 0 {
		opts.Sections = 4
	}
	opts.Sections = min(opts.Sections, len(sectionNames))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	theme := "qorgau"
	if opts.ThemeDir != "" {
		theme = filepath.Base(opts.ThemeDir)
		if err := CopyTree(opts.ThemeDir, filepath.Join(dir, "themes", theme)); err != nil {
			return err
		}
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "title = \"Corpus\"\nbaseURL = \"https://corpus.example.org/\"\ndefaultLanguage = %q\ntheme = %q\n", opts.Langs[0], theme)
	// No taxonomy pages: the harness's Hugo config disables them too, so
	// both make the same pages.
	cfg.WriteString("taxonomies = []\n")
	if !opts.Handouts {
		cfg.WriteString("\n[handouts]\nenabled = false\n")
	}
	names := map[string]string{"kk": "Қазақша", "ru": "Русский", "en": "English"}
	for i, l := range opts.Langs {
		name := names[l]
		if name == "" {
			name = l
		}
		fmt.Fprintf(&cfg, "\n[languages.%s]\nname = %q\nweight = %d\n", l, name, i+1)
		fmt.Fprintf(&cfg, "[languages.%s.params]\nhotlines = [{ number = \"112\", name = \"112\" }, { number = \"111\", name = \"111\" }]\n", l)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg.String()), 0o644); err != nil {
		return err
	}
	if opts.Photos > 0 {
		if err := writePhotos(filepath.Join(dir, "content", opts.Langs[0], "photos"), opts.Photos); err != nil {
			return err
		}
	}
	for _, lang := range opts.Langs {
		r := rand.New(rand.NewPCG(opts.Seed, uint64(len(lang))))
		vocab := words[lang]
		if vocab == nil {
			vocab = words["en"]
		}
		base := filepath.Join(dir, "content", lang)
		if err := write(base, "_index.md", fmt.Sprintf("+++\ntitle = %q\ndescription = %q\n+++\n%s\n", "Corpus "+lang, sentence(r, vocab, 8), paragraph(r, vocab))); err != nil {
			return err
		}
		for s := 0; s < opts.Sections; s++ {
			sec := sectionNames[s]
			if err := write(filepath.Join(base, sec), "_index.md", fmt.Sprintf("+++\ntitle = %q\nweight = %d\n+++\n%s\n", title(r, vocab), (s+1)*10, paragraph(r, vocab))); err != nil {
				return err
			}
		}
		for i := 0; i < opts.Pages; i++ {
			sec := sectionNames[i%opts.Sections]
			perSection := (opts.Pages + opts.Sections - 1) / opts.Sections
			if err := write(filepath.Join(base, sec), fmt.Sprintf("lesson-%05d.md", i), page(r, vocab, i, opts.Sections, perSection, opts.Pages)); err != nil {
				return err
			}
		}
	}
	return nil
}

// writePhotos writes n photos, three per lesson bundle. Five different
// pictures are made (making one takes a second); each file differs from the
// others by a comment, so every photo is its own image to the cache.
func writePhotos(dir string, n int) error {
	if err := write(dir, "_index.md", "+++\ntitle = \"Photos\"\nweight = 100\n+++\nLessons with photos.\n"); err != nil {
		return err
	}
	var bases [][]byte
	for i := range min(n, 5) {
		bases = append(bases, imagetest.Photo(4000, 3000, uint32(i+1), 1))
	}
	for i := 0; i < n; i += 3 {
		lesson := filepath.Join(dir, fmt.Sprintf("lesson-%03d", i/3))
		var body strings.Builder
		fmt.Fprintf(&body, "+++\ntitle = \"Photos %d\"\ndescription = \"Three photos.\"\n+++\n", i/3)
		for j := i; j < min(i+3, n); j++ {
			base := bases[j%len(bases)]
			comment := fmt.Sprintf("photo %d", j)
			photo := append(append(append([]byte{}, base[:2]...), 0xFF, 0xFE, 0, byte(len(comment)+2)), comment...)
			photo = append(photo, base[2:]...)
			name := fmt.Sprintf("photo-%d.jpg", j)
			if err := os.MkdirAll(lesson, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(lesson, name), photo, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(&body, "\nA paragraph before photo %d.\n\n![Photo %d](%s)\n", j, j, name)
		}
		if err := write(lesson, "index.md", body.String()); err != nil {
			return err
		}
	}
	return nil
}

func write(dir, name, text string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
}

func sentence(r *rand.Rand, vocab []string, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = vocab[r.IntN(len(vocab))]
	}
	s := strings.Join(ws, " ")
	rs := []rune(s)
	return strings.ToUpper(string(rs[0])) + string(rs[1:]) + "."
}

func title(r *rand.Rand, vocab []string) string {
	return strings.TrimSuffix(sentence(r, vocab, 2+r.IntN(4)), ".")
}

func paragraph(r *rand.Rand, vocab []string) string {
	n := 3 + r.IntN(4)
	ss := make([]string, n)
	for i := range ss {
		ss[i] = sentence(r, vocab, 6+r.IntN(10))
	}
	return strings.Join(ss, " ")
}

// page writes one lesson of about 500 words. Page i links to two other
// pages of its section by their Markdown files.
func page(r *rand.Rand, vocab []string, i, sections, perSection, total int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "+++\ntitle = %q\ndescription = %q\nweight = %d\ndate = 2024-%02d-%02d\nlastReviewed = 2026-11-01\naudience = [%q]\nduration = %d\n",
		title(r, vocab)+fmt.Sprintf(" %d", i), sentence(r, vocab, 10), i/sections+1, 1+i%12, 1+i%28, vocab[r.IntN(len(vocab))], 10+5*r.IntN(6))
	fmt.Fprintf(&b, "objectives = [%q, %q]\nkeyFacts = [%q, %q]\ndiscussion = [%q]\n", sentence(r, vocab, 6), sentence(r, vocab, 6), sentence(r, vocab, 8), sentence(r, vocab, 8), sentence(r, vocab, 7))
	fmt.Fprintf(&b, "[[sources]]\ntitle = %q\nurl = \"https://example.org/law\"\nlegal = true\n[[quiz]]\nquestion = %q\nanswer = %q\n+++\n\n", title(r, vocab), sentence(r, vocab, 7), sentence(r, vocab, 9))
	for h := 0; h < 4; h++ {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n%s\n\n", title(r, vocab), paragraph(r, vocab), paragraph(r, vocab))
		switch h {
		case 0:
			for k := 0; k < 4; k++ {
				fmt.Fprintf(&b, "- %s\n", sentence(r, vocab, 5+r.IntN(5)))
			}
			b.WriteString("\n")
		case 1:
			fmt.Fprintf(&b, "| %s | %s |\n|---|---|\n", title(r, vocab), title(r, vocab))
			for k := 0; k < 3; k++ {
				fmt.Fprintf(&b, "| %d | %s |\n", 100+k*10+2, sentence(r, vocab, 4))
			}
			b.WriteString("\n")
		case 2:
			fmt.Fprintf(&b, "> [!IMPORTANT]\n> %s\n\n", sentence(r, vocab, 12))
		case 3:
			prev := ((i/sections+perSection-1)%perSection)*sections + i%sections
			next := ((i/sections+1)%perSection)*sections + i%sections
			if prev >= total {
				prev = i % sections
			}
			if next >= total {
				next = i % sections
			}
			fmt.Fprintf(&b, "See [%s](lesson-%05d.md) and [%s](lesson-%05d.md), or **%s** \"%s\".\n\n", title(r, vocab), prev, title(r, vocab), next, vocab[r.IntN(len(vocab))], vocab[r.IntN(len(vocab))])
		}
	}
	return b.String()
}

// CopyTree copies a folder and everything below it.
func CopyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}
