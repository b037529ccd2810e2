package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var lessonSentences = []string{
	"Қазақ тілінде етістік сөйлемнің соңында тұрады.",
	"Мысалы, «Мен кітап оқимын» деген сөйлемде етістік — «оқимын».",
	"Етістіктің түбіріне жұрнақтар мен жалғаулар қосылады.",
	"Жіктік жалғауы іс-әрекетті кім орындайтынын көрсетеді.",
	"Глагол в казахском языке обычно стоит в конце предложения.",
	"Обратите внимание на гармонию гласных: ә, ө, ү, і — мягкие гласные.",
	"The verb usually comes at the end of a Kazakh sentence.",
	"Vowel harmony decides which suffix the stem takes.",
	"Бұл ереже сұраулы сөйлемдерге де қатысты.",
	"Жаттығуды орындап, жауабыңызды тексеріңіз.",
}

// lesson builds a Markdown lesson of about the given number of words, with
// headings, paragraphs, a list and a code block.
func lesson(rng *rand.Rand, nwords int) string {
	var sb strings.Builder
	count := 0
	for section := 1; count < nwords; section++ {
		sb.WriteString("## Бөлім " + string(rune('0'+section%10)) + "\n\n")
		for p := 0; p < 3 && count < nwords; p++ {
			for s := 0; s < 3+rng.IntN(3); s++ {
				line := lessonSentences[rng.IntN(len(lessonSentences))]
				count += len(strings.Fields(line))
				sb.WriteString(line + " ")
			}
			sb.WriteString("\n\n")
		}
		sb.WriteString("- бірінші тармақ\n- екінші тармақ\n\n```\nмен оқимын\n\nсен оқисың\n```\n\n")
		count += 10
	}
	return sb.String()
}

// edit changes n words scattered over s: replaced, removed or doubled.
func edit(rng *rand.Rand, s string, n int) string {
	ws := strings.SplitAfter(s, " ")
	for range n {
		i := rng.IntN(len(ws))
		switch rng.IntN(3) {
		case 0:
			ws[i] = "өзгерген "
		case 1:
			ws[i] = ""
		default:
			ws[i] += ws[i]
		}
	}
	return strings.Join(ws, "")
}

// unrelated builds about size bytes of random words in paragraphs; texts
// from different seeds share spaces and common words but no structure.
func unrelated(seed uint64, size int) string {
	rng := rand.New(rand.NewPCG(seed, seed))
	syll := []string{"қа", "за", "ән", "ті", "лі", "ор", "ма", "ны", "ғы", "ұл", "ек", "сі", "ru", "en"}
	var sb strings.Builder
	for n := 0; sb.Len() < size; n++ {
		for k := 1 + rng.IntN(3); k > 0; k-- {
			sb.WriteString(syll[rng.IntN(len(syll))])
		}
		switch {
		case n%60 == 59:
			sb.WriteString(".\n\n")
		case n%9 == 8:
			sb.WriteString(", ")
		default:
			sb.WriteString(" ")
		}
	}
	return sb.String()
}

func BenchmarkParagraphs(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 7))
	old := lesson(rng, 1500)
	new := edit(rng, old, 20)
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		Paragraphs(old, new)
	}
}

func BenchmarkWordsLesson(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 7))
	old := lesson(rng, 1500)
	new := edit(rng, old, 20)
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		Words(old, new)
	}
}

func BenchmarkWordsPathological(b *testing.B) {
	old, new := unrelated(1, 100<<10), unrelated(2, 100<<10)
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		Words(old, new)
	}
}

func BenchmarkParagraphsPathological(b *testing.B) {
	old, new := unrelated(1, 100<<10), unrelated(2, 100<<10)
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		Paragraphs(old, new)
	}
}

// TestLesson checks the realistic case: every edit is found, and only the
// edited paragraphs change.
func TestLesson(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	old := lesson(rng, 1500)
	new := edit(rng, old, 20)
	blocks := Paragraphs(old, new)
	checkBlocks(t, old, new, blocks)
	changed := 0
	for _, b := range blocks {
		if Changed(b.Ops) {
			changed++
			if b.Old == "" || b.New == "" {
				t.Errorf("an edited paragraph came out whole: %q", describe(b))
			}
		}
	}
	if changed == 0 || changed > 20 {
		t.Errorf("%d of %d paragraphs changed by 20 edits", changed, len(blocks))
	}
	checkOps(t, old, new, Words(old, new))
}

// TestPathological checks that two unrelated 100 KB texts still give a
// valid diff in bounded time. The limit is loose so that the race
// detector and slow machines pass; the benchmarks give the real figures.
func TestPathological(t *testing.T) {
	old, new := unrelated(1, 100<<10), unrelated(2, 100<<10)
	begin := time.Now()
	checkOps(t, old, new, Words(old, new))
	checkBlocks(t, old, new, Paragraphs(old, new))
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("pathological diff took %v", d)
	}
}
