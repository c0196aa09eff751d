// Package i18n holds Megafon's translation catalogue: every user-facing
// string of the interface, in Swedish (the default) and English.
//
// Each part of the product brings its own catalogue files, sv.json and
// en.json, flat maps from a dotted key to a message in go-i18n's format
// (text/template placeholders such as {{.Count}}; plural forms as objects
// with "one" and "other").
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Interface languages, the first being the default.
var (
	Swedish  = language.Swedish
	English  = language.English
	UILangs  = []language.Tag{Swedish, English}
	Default  = "sv"
	uiByCode = map[string]language.Tag{"sv": Swedish, "en": English}
)

// IsUILang reports whether code is a language the interface is available in.
func IsUILang(code string) bool { _, ok := uiByCode[code]; return ok }

// Catalogue is the set of all messages, loaded at start and read-only after.
type Catalogue struct {
	mu      sync.RWMutex
	bundle  *i18n.Bundle
	keys    map[string]map[string]bool // language code -> keys
	locales map[string]*i18n.Localizer
	asked   map[string]bool // keys asked for that the catalogue lacks
}

// New returns an empty catalogue.
func New() *Catalogue {
	b := i18n.NewBundle(Swedish)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	return &Catalogue{bundle: b, keys: map[string]map[string]bool{}, locales: map[string]*i18n.Localizer{}}
}

// Load adds the catalogue files sv.json and en.json found at the root of
// fsys. A key defined twice, by two parts, is an error.
func (c *Catalogue) Load(fsys fs.FS) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for code := range uiByCode {
		name := code + ".json"
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("load catalogue %s: %w", name, err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return fmt.Errorf("load catalogue %s: %w", name, err)
		}
		if c.keys[code] == nil {
			c.keys[code] = map[string]bool{}
		}
		for k := range raw {
			if c.keys[code][k] {
				return fmt.Errorf("load catalogue %s: key %q defined twice", name, k)
			}
			c.keys[code][k] = true
		}
		if _, err := c.bundle.ParseMessageFileBytes(data, name); err != nil {
			return fmt.Errorf("load catalogue %s: %w", name, err)
		}
	}
	c.locales = map[string]*i18n.Localizer{}
	return nil
}

// MustLoad is Load for catalogues embedded in the binary, where an error is
// a programming mistake found by the first test.
func (c *Catalogue) MustLoad(fsys fs.FS) {
	if err := c.Load(fsys); err != nil {
		panic(err)
	}
}

func (c *Catalogue) localizer(lang string) *i18n.Localizer {
	c.mu.RLock()
	l := c.locales[lang]
	c.mu.RUnlock()
	if l != nil {
		return l
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l = i18n.NewLocalizer(c.bundle, lang)
	c.locales[lang] = l
	return l
}

// T translates key into lang. args are name, value pairs for the message's
// placeholders; a "Count" argument also chooses the plural form. A missing
// key is shown as the key itself, and the catalogue tests make sure that
// never reaches a user.
func (c *Catalogue) T(lang, key string, args ...any) string {
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
	s, err := c.localizer(lang).Localize(cfg)
	if err != nil || !c.Has(lang, key) {
		c.mu.Lock()
		if c.asked == nil {
			c.asked = map[string]bool{}
		}
		c.asked[lang+":"+key] = true
		c.mu.Unlock()
		return key
	}
	return s
}

// Has reports whether key is in the catalogue of lang.
func (c *Catalogue) Has(lang, key string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.keys[lang][key]
}

// Missing lists, per interface language, the keys that another interface
// language has and this one lacks. Empty means the catalogue is complete.
func (c *Catalogue) Missing() map[string][]string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	all := map[string]bool{}
	for _, keys := range c.keys {
		for k := range keys {
			all[k] = true
		}
	}
	out := map[string][]string{}
	for code := range uiByCode {
		for k := range all {
			if !c.keys[code][k] {
				out[code] = append(out[code], k)
			}
		}
		sort.Strings(out[code])
		if len(out[code]) == 0 {
			delete(out, code)
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
	for k := range c.keys[Default] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
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
