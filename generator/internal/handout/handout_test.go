package handout

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/markdown"
)

var conv = markdown.New(markdown.Options{Lang: "kk", Typographer: true, Label: func(k string) string { return "Ескерту-" + k }})

func md(s string) Text {
	src := []byte(s)
	return Text{Node: conv.Parse(src, markdown.Doc{}), Source: src}
}

func mds(ss ...string) []Text {
	out := make([]Text, len(ss))
	for i, s := range ss {
		out[i] = md(s)
	}
	return out
}

var labels = map[string]string{
	"audience": "Кімге", "duration": "Уақыты", "lastReviewed": "Соңғы тексеру", "objectives": "Сабақтан кейін сіз",
	"keyFacts": "Негізгі фактілер", "discussion": "Талқылауға сұрақтар", "quiz": "Өзіңізді тексеріңіз",
	"sources": "Дереккөздер", "notLegalAdvice": "Бұл бет білім беруге арналған. Бұл заңгерлік кеңес емес.",
	"helpTitle": "Көмек", "forTeacher": "Мұғалімге", "forTeacherNote": "Бұл беттер мұғалімге арналған.",
	"answers": "Жауаптар", "teacherNotes": "Мұғалімге арналған ескертпелер", "tableOfContents": "Мазмұны",
}

var opts = Options{
	Lang: "kk", SiteTitle: "Qorgau",
	Label:    func(k string) string { return labels[k] },
	Count:    func(k string, n int) string { return strconv.Itoa(n) + " " + k },
	Date:     func(t time.Time) string { return t.Format("2006-01-02") },
	Callout:  func(k string) string { return "Маңызды-" + k },
	Hotlines: []Hotline{{"112", "Шұғыл қызметтер"}, {"111", "Байланыс орталығы"}, {"150", "Сенім телефоны"}},
}

func lesson(title string, paragraphs int) *Lesson {
	var body strings.Builder
	body.WriteString("Кіріспе: «ә ғ қ ң ө ұ ү һ і» әріптері. [Көмек](https://example.org/kk/help/).\n\n")
	for i := range paragraphs {
		fmt.Fprintf(&body, "## Бөлім %d\n\nҚысқа абзац: зорлық-зомбылықпен жалғыз күресуге міндетті емессіз, және көмек сұрау үшін сенімді болудың қажеті жоқ. **Маңызды** сөз және *курсив*.\n\n- бірінші\n- екінші\n\n", i+1)
	}
	body.WriteString("> [!WARNING]\n> Қауіп төніп тұрса, 112-ге қоңырау шалыңыз.\n\n| Нөмір | Кім |\n|---|---|\n| 112 | Шұғыл қызметтер |\n| 111 | Байланыс орталығы |\n")
	return &Lesson{
		Title: title, Description: "Сабақтың қысқаша сипаттамасы.", URL: "https://example.org/kk/x/",
		Audience: []string{"жасөспірімдер 14+"}, Duration: 25, Objectives: mds("Заңды атау", "Өзгерістерді түсіндіру"),
		KeyFacts: mds("Заң 2024 жылы күшіне енді."), Discussion: mds("Неге бұл маңызды?"),
		TeacherNotes: mds("Сабақты қауіпсіз өткізіңіз."),
		Quiz:         []QA{{md("Заң қашан күшіне енді?"), md("2024 жылғы 16 маусымда.")}},
		Sources:      []Source{{"Қылмыстық кодекс", "https://adilet.zan.kz/kaz/docs/K1400000226"}},
		LastReviewed: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Body: md(body.String()),
	}
}

// pdfText extracts the text of pages first..last (0: to the end) with
// poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte, first, last int) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-enc", "UTF-8", "-f", strconv.Itoa(first)}
	if last > 0 {
		args = append(args, "-l", strconv.Itoa(last))
	}
	out, err := exec.Command("pdftotext", append(args, file, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func pages(t *testing.T, pdf []byte) []string {
	all := pdfText(t, pdf, 1, 0)
	return strings.Split(strings.TrimSuffix(all, "\f"), "\f")
}

func TestLessonHandout(t *testing.T) {
	l := lesson("Ұрып-соғу қайтадан қылмыс", 3)
	f, err := LessonPDF(l, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Missing) > 0 {
		t.Errorf("the font lacks %q", string(f.Missing))
	}
	pdf := f.PDF
	ps := pages(t, pdf)
	all := strings.Join(ps, "\n")
	for _, want := range []string{"Ұрып-соғу қайтадан қылмыс", "Бөлім 1", "Бөлім 3", "«ә ғ қ ң ө ұ ү һ і»", "Заң қашан күшіне енді?",
		"Маңызды-warning", "Шұғыл қызметтер", "2026-12-01", "заңгерлік кеңес емес", "https://example.org/kk/help/", "Байланыс орталығы"} {
		if !strings.Contains(all, want) {
			t.Errorf("the handout lacks %q", want)
		}
	}
	if strings.ContainsAny(all, "?\uFFFD") && strings.Count(all, "?") != strings.Count("Неге бұл маңызды? Заң қашан күшіне енді? Заң қашан күшіне енді?", "?") {
		t.Errorf("missing glyphs:\n%s", all)
	}
	// Answers and teacher notes are on the last page, and only there.
	lastPage := ps[len(ps)-1]
	if !strings.Contains(lastPage, "Мұғалімге") || !strings.Contains(lastPage, "2024 жылғы 16 маусымда.") || !strings.Contains(lastPage, "Сабақты қауіпсіз өткізіңіз.") {
		t.Errorf("the teacher's page:\n%s", lastPage)
	}
	if strings.Contains(strings.Join(ps[:len(ps)-1], ""), "2024 жылғы 16 маусымда.") {
		t.Error("an answer is on a pupils' page")
	}
	for i, p := range ps {
		if !strings.Contains(p, "112") || !strings.Contains(p, strconv.Itoa(i+1)) {
			t.Errorf("page %d has no footer with the help numbers and its number:\n%s", i+1, p)
		}
	}
	again, _ := LessonPDF(lesson("Ұрып-соғу қайтадан қылмыс", 3), opts)
	if !bytes.Equal(pdf, again.PDF) {
		t.Error("two handouts of the same lesson differ")
	}
	if len(pdf) > 150<<10 {
		t.Errorf("the handout is %d KB", len(pdf)>>10)
	}
	screenshot(t, pdf, "lesson")
}

func TestBooklet(t *testing.T) {
	topic := &Topic{Title: "Жазалар", Description: "Заң не өзгертті.", URL: "https://example.org/kk/penalties/"}
	for i := range 20 {
		topic.Lessons = append(topic.Lessons, lesson(fmt.Sprintf("Сабақ %02d", i+1), 1+i%4))
	}
	f, err := BookletPDF(topic, opts)
	if err != nil {
		t.Fatal(err)
	}
	pdf := f.PDF
	ps := pages(t, pdf)
	// The contents lists every lesson with the page it starts on.
	contents := ps[1] + ps[2]
	for _, l := range topic.Lessons {
		i := strings.Index(contents, l.Title)
		if i < 0 {
			t.Errorf("the contents lack %q", l.Title)
			continue
		}
		rest := strings.Fields(contents[i+len(l.Title):])
		page, err := strconv.Atoi(rest[0])
		if err != nil || page < 1 || page > len(ps) {
			t.Errorf("%s: page %q", l.Title, rest[0])
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(ps[page-1]), l.Title) {
			t.Errorf("%s: the contents say page %d, which begins:\n%.200s", l.Title, page, ps[page-1])
		}
	}
	if !strings.Contains(ps[0], "Жазалар") || !strings.Contains(ps[0], "20 lessons") {
		t.Errorf("cover:\n%s", ps[0])
	}
	out, err := exec.Command("pdfinfo", writeTemp(t, pdf)).CombinedOutput()
	if err == nil && !strings.Contains(string(out), "Жазалар") {
		t.Errorf("pdfinfo: %s", out)
	}
	for _, want := range []string{"/Outlines", "/Lang (kk)", "/Count"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the booklet has no %s", want)
		}
	}
	screenshot(t, pdf, "booklet")
}

func TestPaper(t *testing.T) {
	for paper, want := range map[string]string{"": "595.28 x 841.89", "A4": "595.28 x 841.89", "Letter": "612 x 792"} {
		o := opts
		o.Paper = paper
		f, err := LessonPDF(lesson("Қағаз", 1), o)
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdfinfo", writeTemp(t, f.PDF)).CombinedOutput()
		if err != nil {
			t.Skip("pdfinfo:", err)
		}
		if !strings.Contains(string(out), "Page size:       "+want) {
			t.Errorf("paper %q: %s", paper, out)
		}
	}
}

func writeTemp(t *testing.T, pdf []byte) string {
	file := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// screenshot renders the first pages to PNG in testdata/screenshots (not
// committed), for people to look at.
func screenshot(t *testing.T, pdf []byte, name string) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return
	}
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", writeTemp(t, pdf), filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Errorf("pdftoppm: %v %s", err, out)
	}
}

// TestMissingGlyphs: characters the font lacks are reported.
func TestMissingGlyphs(t *testing.T) {
	l := lesson("Georgian ქართული and CJK 漢字", 1)
	f, err := LessonPDF(l, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.ContainsRune(string(f.Missing), 'ქ') || !strings.ContainsRune(string(f.Missing), '漢') || strings.ContainsAny(string(f.Missing), "әғқңөұүһі«»") {
		t.Errorf("missing: %q", string(f.Missing))
	}
}

func BenchmarkLessonPDF(b *testing.B) {
	l := lesson("Ұрып-соғу қайтадан қылмыс", 6)
	for b.Loop() {
		if _, err := LessonPDF(l, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBookletPDF(b *testing.B) {
	topic := &Topic{Title: "Жазалар"}
	for i := range 6 {
		topic.Lessons = append(topic.Lessons, lesson(fmt.Sprintf("Сабақ %d", i+1), 5))
	}
	for b.Loop() {
		if _, err := BookletPDF(topic, opts); err != nil {
			b.Fatal(err)
		}
	}
}
