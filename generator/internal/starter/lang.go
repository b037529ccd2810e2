package starter

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/qorgau/qorgau/generator/internal/config"
)

// lang is what the new site's config says of one language.
type lang struct {
	code      string
	name      string // in the language itself; "" when CLDR does not know it
	weight    int
	direction string
	locale    string
	exitURL   string
	texts     bool // the starter has its home and help pages
	help      string
	hotlines  []hotline
}

// hotline is one help number of a language's params.
type hotline struct{ number, name, note string }

// label names the language for comments and messages: its own name, or
// its code.
func (l lang) label() string {
	if l.name != "" {
		return l.name
	}
	return l.code
}

// known is what the starter knows of the languages it has texts for. The
// numbers are Kazakhstan's (112 emergency, 102 police, 111 the state's
// contact centre for family, women's and children's rights, 150 the
// helpline for children and young people), as on Qorgau's own site.
var known = map[string]lang{
	"kk": {name: "Қазақша", locale: "kk-KZ", exitURL: "https://kk.wikipedia.org/wiki/Басты_бет", help: "Көмек", hotlines: []hotline{
		{"112", "Шұғыл қызметтердің бірыңғай нөмірі", "тәулік бойы"},
		{"102", "Полиция", ""},
		{"111", "Отбасы, әйелдер мен балалар құқықтары жөніндегі байланыс орталығы", "тәулік бойы, тегін, чат та бар"},
		{"150", "Балалар мен жастарға арналған сенім телефоны", ""},
	}},
	"ru": {name: "Русский", locale: "ru-KZ", exitURL: "https://ru.wikipedia.org/wiki/Заглавная_страница", help: "Помощь", hotlines: []hotline{
		{"112", "Единая служба экстренной помощи", "круглосуточно"},
		{"102", "Полиция", ""},
		{"111", "Контакт-центр по вопросам семьи, женщин и защиты прав детей", "круглосуточно, бесплатно, есть чат"},
		{"150", "Телефон доверия для детей и молодёжи", ""},
	}},
	"en": {name: "English", locale: "en", exitURL: "https://en.wikipedia.org/wiki/Main_Page", help: "Help", hotlines: englishHotlines},
}

// englishHotlines are also the ones a language without texts starts with,
// to translate.
var englishHotlines = []hotline{
	{"112", "Emergency services", "24/7"},
	{"102", "Police", ""},
	{"111", "Contact centre for family, women's and children's rights", "24/7, free, also by chat"},
	{"150", "Helpline for children and young people", ""},
}

// rtlScripts are the scripts written right to left that CLDR names as a
// language's default.
var rtlScripts = map[string]bool{"Arab": true, "Hebr": true, "Syrc": true, "Thaa": true, "Nkoo": true, "Adlm": true, "Rohg": true, "Mand": true, "Samr": true}

func describeOne(code string, tag language.Tag, weight int) lang {
	l, ok := known[code]
	if ok {
		l.texts = true
	} else {
		l = lang{name: selfName(tag), locale: code, exitURL: config.DefaultExitURL, hotlines: englishHotlines}
	}
	l.code, l.weight, l.direction = code, weight, "ltr"
	if script, _ := tag.Script(); rtlScripts[script.String()] {
		l.direction = "rtl"
	}
	return l
}

// selfName is the language's name in itself from CLDR, capitalised as a
// menu item: кыргызча → Кыргызча. It is "" when CLDR has none.
func selfName(tag language.Tag) string {
	name := display.Self.Name(tag)
	if name == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}
