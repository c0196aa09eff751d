// Package i18n holds Megafon's translation catalogue: every user-facing
// string of the interface, in Swedish (the source), English and the
// languages the volunteers and participants speak.
//
// Each part of the product brings its own catalogue files, one per
// interface language (sv.json, en.json, ar.json ...): flat maps from a
// dotted key to a message in go-i18n's format (text/template placeholders
// such as {{.Count}}; plural forms as objects with "one", "other" and the
// other CLDR forms the language has). Beside a language's file,
// <code>.checked.json records which of its messages a fluent speaker has
// checked, against the Swedish text she checked them against: when the
// Swedish changes, the translation counts as unchecked again.
package i18n

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang is an interface language.
type Lang struct {
	Code string // in URLs, cookies, profiles and catalogue file names
	// HTML is the lang attribute of a page in it: Easy Swedish is Swedish
	// to a browser and a screen reader.
	HTML string
	Name string // in itself, for the language switch
	// Plural is the language whose CLDR plural rules its messages follow,
	// and Forms the plural forms those rules have.
	Plural language.Tag
	Forms  []string
	// Source languages are the ones every message is written in first;
	// the others are translated from Swedish.
	Source bool
}

// Langs are the interface languages, the first being the default.
var Langs = []Lang{
	{Code: "sv", HTML: "sv", Name: "Svenska", Plural: language.Swedish, Forms: oneOther, Source: true},
	{Code: "sv-x-easy", HTML: "sv", Name: "Lättläst svenska", Plural: language.Swedish, Forms: oneOther},
	{Code: "en", HTML: "en", Name: "English", Plural: language.English, Forms: oneOther, Source: true},
	{Code: "ar", HTML: "ar", Name: "العربية", Plural: language.Arabic, Forms: []string{"zero", "one", "two", "few", "many", "other"}},
	{Code: "prs", HTML: "prs", Name: "دری", Plural: language.Persian, Forms: oneOther},
	{Code: "so", HTML: "so", Name: "Soomaali", Plural: language.MustParse("so"), Forms: oneOther},
	{Code: "ti", HTML: "ti", Name: "ትግርኛ", Plural: language.MustParse("ti"), Forms: oneOther},
	{Code: "bs", HTML: "bs", Name: "Bosanski", Plural: language.MustParse("bs"), Forms: []string{"one", "few", "other"}},
	{Code: "uk", HTML: "uk", Name: "Українська", Plural: language.Ukrainian, Forms: []string{"one", "few", "many", "other"}},
}

var oneOther = []string{"one", "other"}

// Default is the code of the default interface language, Swedish.
const Default = "sv"

var byCode = func() map[string]*Lang {
	m := map[string]*Lang{}
	for i := range Langs {
		m[Langs[i].Code] = &Langs[i]
	}
	return m
}()

// IsUILang reports whether code is a language the interface is available in.
func IsUILang(code string) bool { _, ok := byCode[code]; return ok }

// UILang returns the interface language with code, or Swedish.
func UILang(code string) Lang {
	if l, ok := byCode[code]; ok {
		return *l
	}
	return *byCode[Default]
}

// Codes lists the codes of the interface languages.
func Codes() []string {
	out := make([]string, len(Langs))
	for i, l := range Langs {
		out[i] = l.Code
	}
	return out
}

// Message is one message in one language: its plural forms, or "other"
// alone for a message without plurals.
type Message map[string]string

// Plural reports whether the message has plural forms.
func (m Message) Plural() bool { return len(m) > 1 }

// SourceHash identifies a Swedish message's text, so that a check made
// against one text does not count for the next.
func SourceHash(m Message) string {
	b, _ := json.Marshal(map[string]string(m)) // map keys are sorted
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// Catalogue is the set of all messages: loaded at start from the embedded
// files, then changed only by Override (a translation imported by an
// administrator).
type Catalogue struct {
	mu       sync.RWMutex
	bundles  map[string]*i18n.Bundle       // language code -> its messages
	msgs     map[string]map[string]Message // language code -> key -> message
	checked  map[string]map[string]string  // language code -> key -> Swedish hash checked against
	locales  map[string]*i18n.Localizer
	asked    map[string]bool // keys asked for that the catalogue lacks
	showMark bool
}

// New returns an empty catalogue.
func New() *Catalogue {
	c := &Catalogue{bundles: map[string]*i18n.Bundle{}, msgs: map[string]map[string]Message{},
		checked: map[string]map[string]string{}, locales: map[string]*i18n.Localizer{}, showMark: true}
	for _, l := range Langs {
		b := i18n.NewBundle(l.Plural)
		c.bundles[l.Code] = b
		c.msgs[l.Code] = map[string]Message{}
		c.checked[l.Code] = map[string]string{}
		c.locales[l.Code] = i18n.NewLocalizer(b, l.Plural.String())
	}
	return c
}

// Load adds the catalogue files found at the root of fsys: sv.json and
// en.json must be there; another language's file may be absent while it is
// being translated (Missing then lists all its keys). A key defined twice,
// by two parts, is an error.
func (c *Catalogue) Load(fsys fs.FS) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range Langs {
		name := l.Code + ".json"
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) && !l.Source {
			continue
		}
		if err != nil {
			return fmt.Errorf("load catalogue %s: %w", name, err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return fmt.Errorf("load catalogue %s: %w", name, err)
		}
		for k, v := range raw {
			if _, dup := c.msgs[l.Code][k]; dup {
				return fmt.Errorf("load catalogue %s: key %q defined twice", name, k)
			}
			m, err := parseMessage(v)
			if err != nil {
				return fmt.Errorf("load catalogue %s: key %q: %w", name, k, err)
			}
			if err := c.add(l, k, m); err != nil {
				return fmt.Errorf("load catalogue %s: key %q: %w", name, k, err)
			}
		}
		data, err = fs.ReadFile(fsys, l.Code+".checked.json")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		var checked map[string]string
		if err == nil {
			err = json.Unmarshal(data, &checked)
		}
		if err != nil {
			return fmt.Errorf("load catalogue %s.checked.json: %w", l.Code, err)
		}
		for k, h := range checked {
			c.checked[l.Code][k] = h
		}
	}
	return nil
}

func parseMessage(raw json.RawMessage) (Message, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return Message{"other": s}, nil
	}
	var m Message
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("neither a text nor plural forms")
	}
	if m["other"] == "" {
		return nil, fmt.Errorf("plural forms without \"other\"")
	}
	return m, nil
}

// add puts message m of key into language l. Every plural form the
// language's rules have gets a text, the "other" one where m lacks it, so
// that a count never finds none (a message without plurals may still be
// given a count); Missing reports the forms a translation lacks.
func (c *Catalogue) add(l Lang, key string, m Message) error {
	for f := range m {
		if !containsString(l.Forms, f) {
			return fmt.Errorf("plural form %q is not one of %s's (%s)", f, l.Code, strings.Join(l.Forms, ", "))
		}
	}
	or := func(f string) string {
		if m[f] != "" {
			return m[f]
		}
		return m["other"]
	}
	msg := &i18n.Message{ID: key, Zero: or("zero"), One: or("one"), Two: or("two"), Few: or("few"), Many: or("many"), Other: m["other"]}
	if err := c.bundles[l.Code].AddMessages(l.Plural, msg); err != nil {
		return err
	}
	c.msgs[l.Code][key] = m
	return nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// MustLoad is Load for catalogues embedded in the binary, where an error is
// a programming mistake found by the first test.
func (c *Catalogue) MustLoad(fsys fs.FS) {
	if err := c.Load(fsys); err != nil {
		panic(err)
	}
}

// T translates key into lang. args are name, value pairs for the message's
// placeholders; a "Count" argument also chooses the plural form. A missing
// key is shown as the key itself, and the catalogue tests make sure that
// never reaches a user.
func (c *Catalogue) T(lang, key string, args ...any) string {
	s, _ := c.Translate(lang, key, args...)
	return s
}

// Translate is T that also says whether a fluent speaker has checked the
// message (Swedish and English, the source languages, always are).
func (c *Catalogue) Translate(lang, key string, args ...any) (text string, checked bool) {
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name := fmt.Sprint(args[i])
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	c.mu.RLock()
	loc := c.locales[lang]
	_, has := c.msgs[lang][key]
	var s string
	var err error
	if loc != nil && has {
		s, err = loc.Localize(cfg)
		checked = c.isChecked(lang, key)
	}
	c.mu.RUnlock()
	if loc == nil || !has || err != nil {
		c.mu.Lock()
		if c.asked == nil {
			c.asked = map[string]bool{}
		}
		c.asked[lang+":"+key] = true
		c.mu.Unlock()
		return key, true
	}
	return s, checked
}

func (c *Catalogue) isChecked(lang, key string) bool {
	if UILang(lang).Source {
		return true
	}
	h, ok := c.checked[lang][key]
	return ok && h == SourceHash(c.msgs[Default][key])
}

// Has reports whether key is in the catalogue of lang.
func (c *Catalogue) Has(lang, key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.msgs[lang][key]
	return ok
}

// Missing lists, per interface language, the keys that another interface
// language has and this one lacks, and plural forms a language's rules
// have that its message lacks ("key#few"). Empty means the catalogue is
// complete; unchecked messages are not missing.
func (c *Catalogue) Missing() map[string][]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	all := map[string]bool{}
	for _, msgs := range c.msgs {
		for k := range msgs {
			all[k] = true
		}
	}
	out := map[string][]string{}
	for _, l := range Langs {
		for k := range all {
			m, ok := c.msgs[l.Code][k]
			switch {
			case !ok:
				out[l.Code] = append(out[l.Code], k)
			case c.msgs[Default][k].Plural():
				for _, f := range l.Forms {
					if m[f] == "" {
						out[l.Code] = append(out[l.Code], k+"#"+f)
					}
				}
			}
		}
		sort.Strings(out[l.Code])
		if len(out[l.Code]) == 0 {
			delete(out, l.Code)
		}
	}
	return out
}

// Unknown lists the "lang:key" pairs that were asked for and are not in
// the catalogue. Tests that render every page check that it is empty.
func (c *Catalogue) Unknown() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for k := range c.asked {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Keys returns every key of the catalogue, sorted.
func (c *Catalogue) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for k := range c.msgs[Default] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Entry is one key in a translated language, for the translator's sheet.
type Entry struct {
	Key              string
	Swedish, English Message
	Text             Message // in the language; nil when missing
	Checked          bool
}

// Entries lists every key with its Swedish and English source and its
// text and state in lang, sorted by key.
func (c *Catalogue) Entries(lang string) []Entry {
	keys := c.Keys()
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Entry, 0, len(keys))
	for _, k := range keys {
		e := Entry{Key: k, Swedish: c.msgs[Default][k], English: c.msgs["en"][k], Text: c.msgs[lang][k]}
		e.Checked = e.Text != nil && c.isChecked(lang, k)
		out = append(out, e)
	}
	return out
}

// Counts says how many of lang's messages exist and how many of them a
// fluent speaker has checked.
func (c *Catalogue) Counts(lang string) (translated, checked int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k := range c.msgs[Default] {
		if _, ok := c.msgs[lang][k]; ok {
			translated++
			if c.isChecked(lang, k) {
				checked++
			}
		}
	}
	return translated, checked
}

// Override replaces lang's message for key (a translation imported by an
// administrator) and records whether it was checked against the Swedish
// text with hash checkedAgainst ("" for not checked). Swedish and English
// are written with the code and are not overridden.
func (c *Catalogue) Override(lang, key string, m Message, checkedAgainst string) error {
	l, ok := byCode[lang]
	if !ok || l.Source {
		return fmt.Errorf("override %s: not a translated interface language", lang)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.msgs[Default][key]; !ok {
		return fmt.Errorf("override %s: no key %q", lang, key)
	}
	if err := c.add(*l, key, m); err != nil {
		return err
	}
	if checkedAgainst == "" {
		delete(c.checked[lang], key)
	} else {
		c.checked[lang][key] = checkedAgainst
	}
	return nil
}

// ShowUncheckedMark reports whether pages mark messages no fluent speaker
// has checked; SetShowUncheckedMark is the city's switch.
func (c *Catalogue) ShowUncheckedMark() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.showMark
}

// SetShowUncheckedMark turns the mark on unchecked messages on or off.
func (c *Catalogue) SetShowUncheckedMark(on bool) {
	c.mu.Lock()
	c.showMark = on
	c.mu.Unlock()
}

// Dir is the writing direction, "rtl" or "ltr", of text in the language
// with the BCP 47 tag code: right-to-left for Arabic, Hebrew, Thaana, Syriac,
// N'Ko and Adlam scripts (so Arabic, Dari, Persian, Urdu, Pashto ...).
func Dir(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return "ltr"
	}
	script, conf := tag.Script()
	switch script.String() {
	case "Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg":
		return "rtl"
	}
	if conf == language.Exact {
		return "ltr"
	}
	// Some languages have no likely script in CLDR's data (Dari is one).
	base, _ := tag.Base()
	switch base.String() {
	case "ar", "fa", "prs", "ps", "ur", "he", "yi", "dv", "ckb", "sd", "ug", "ku-Arab":
		return "rtl"
	}
	return "ltr"
}

// NormalizeTag checks that code is a well-formed BCP 47 tag and returns its
// canonical form ("SV" -> "sv", "prs-af" -> "prs-AF").
func NormalizeTag(code string) (string, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return "", fmt.Errorf("empty language tag")
	}
	tag, err := language.Parse(code)
	if err != nil {
		return "", fmt.Errorf("language tag %q: %w", code, err)
	}
	base, conf := tag.Base()
	if tag == language.Und || conf == language.No || base.String() == "und" {
		return "", fmt.Errorf("language tag %q: unknown language", code)
	}
	return tag.String(), nil
}
