package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkIndex indexes 1,000 Russian pages of about 600 words each.
// Run: go test ./generator/search -run XXX -bench Index -benchmem
func BenchmarkIndex(b *testing.B) {
	words := strings.Fields("закон защита насилие семья ребёнок права помощь полиция суд охранный ордер " +
		"побои вред здоровью примирение центр поддержки семьи телефон доверия школа учитель сообщить " +
		"безопасность интернет груминг наказание уголовный кодекс Казахстан женщины дети опасность")
	r := rand.New(rand.NewPCG(1, 2))
	docs := make([]Doc, 1000)
	for i := range docs {
		var body strings.Builder
		for p := 0; p < 12; p++ {
			body.WriteString("<p>")
			for w := 0; w < 50; w++ {
				body.WriteString(words[r.IntN(len(words))])
				body.WriteByte(' ')
			}
			body.WriteString("</p>\n")
		}
		docs[i] = Doc{URL: fmt.Sprintf("ru/s/p%d/", i), Title: words[i%len(words)] + " и " + words[(i*7)%len(words)], Description: words[(i*3)%len(words)], HTML: body.String()}
	}
	b.ResetTimer()
	for b.Loop() {
		NewOnceBuilder().Index("ru", docs)
	}
}
