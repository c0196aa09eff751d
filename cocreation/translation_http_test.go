package cocreation_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"megafon/cocreation/process"
	"megafon/platform/audit"
	"megafon/platform/db"
	"megafon/platform/web/webtest"
)

var shownOnForm = regexp.MustCompile(`name="(shown-[a-z]+-[0-9]+)" value="([0-9a-f]+)"`)

// translationForm loads a translations page in lang as c and returns its
// form's hidden values, to post back as a browser would.
func translationForm(t *testing.T, c *webtest.Client, path, lang string) (url.Values, string) {
	t.Helper()
	r := c.Get(path + "?lang=" + lang)
	if r.Status != http.StatusOK {
		t.Fatalf("%s in %s: %d\n%s", path, lang, r.Status, webtest.Text(r.Body))
	}
	form := url.Values{"lang": {lang}}
	for _, m := range shownOnForm.FindAllStringSubmatch(r.Body, -1) {
		form.Set(m[1], m[2])
	}
	return form, r.Body
}

// inLang switches c's interface language.
func inLang(t *testing.T, c *webtest.Client, lang string) {
	t.Helper()
	if r := c.Post("/lang", webtest.Form("lang", lang, "next", "/p/")); r.Status != http.StatusSeeOther {
		t.Fatalf("switch to %s: %d", lang, r.Status)
	}
}

// section is the part of body from the first occurrence of from to the
// next occurrence of to ("" when from is not there).
func section(body, from, to string) string {
	i := strings.Index(body, from)
	if i < 0 {
		return ""
	}
	s := body[i:]
	if j := strings.Index(s[len(from):], to); j >= 0 {
		return s[:len(from)+j]
	}
	return s
}

// A facilitator translates a workshop, its prompt and the process into
// Arabic; a participant who reads Arabic sees them, each text with its
// language and direction, and the Swedish where nothing is translated,
// marked as Swedish. When the Swedish changes the translation is marked
// as older and the facilitator is told; the participant sees it with the
// Swedish beside it. Every save is in the audit log.
func TestAFacilitatorTranslatesAndAParticipantReadsInHerLanguage(t *testing.T) {
	t.Parallel()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			testTranslating(t, dialect)
		})
	}
}

func testTranslating(t *testing.T, dialect db.Dialect) {
	e := newEnv(t, dialect)
	ctx := context.Background()
	f := e.clients[facil]
	wpath, ppath := fmt.Sprintf("/workshops/%d/translations", e.ws), fmt.Sprintf("/processes/%d/translations", e.proc.ID)
	// The workshop gets an agenda first, as a facilitator writes it.
	w, _ := e.st.Workshop(ctx, e.ws)
	edit := w.Form()
	edit.Agenda = "17.00 Fika\nRing 010-123 45 67 om du blir sen."
	if r := f.Post(fmt.Sprintf("/workshops/%d", e.ws), url.Values{"title": {edit.Title}, "date": {edit.Date}, "start": {edit.Start}, "end": {edit.End},
		"place": {edit.Place}, "agenda": {edit.Agenda}}); r.Status != http.StatusSeeOther {
		t.Fatalf("the agenda: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if r := f.Get(fmt.Sprintf("/workshops/%d", e.ws)); !strings.Contains(r.Body, `href="`+wpath+`"`) {
		t.Error("the workshop page has no way to its translations")
	}

	// The page lists every language but Swedish; the form is Arabic's.
	form, page := translationForm(t, f, wpath, "ar")
	for _, lang := range process.TranslationLangs() {
		if !strings.Contains(page, `href="`+wpath+`?lang=`+lang+`#translation"`) {
			t.Errorf("the translations page has no link to %s", lang)
		}
	}
	ws, pq := process.TextRef{Kind: "workshop", ID: e.ws}, process.TextRef{Kind: "prompt", ID: e.prompt}
	for _, want := range []string{`name="` + ws.Field("title") + `" value="" maxlength="200" lang="ar" dir="rtl"`, `name="` + ws.Field("body") + `"`,
		`name="` + pq.Field("title") + `"`, "Vad fungerar extra bra?", "Ring 010-123 45 67"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Arabic form lacks %s", want)
		}
	}
	form.Set(ws.Field("title"), "ورشة العمل الأولى")
	form.Set(ws.Field("body"), "17.00 قهوة\nاتصل على 010-123 45 67 إذا تأخرت.")
	form.Set(ws.Field("by"), "Amal Haddad")
	form.Set(ws.Field("checked"), "1")
	form.Set(pq.Field("title"), "ما الذي يعمل بشكل جيد جدًا؟")
	r := f.Post(wpath, form)
	if r.Status != http.StatusSeeOther || r.Location != wpath+"?lang=ar" {
		t.Fatalf("save the translation: %d %q\n%s", r.Status, r.Location, webtest.Text(r.Body))
	}
	if page := f.Get(r.Location); !strings.Contains(page.Body, e.tr("sv", "cc.flash.translations_saved")) || !strings.Contains(page.Body, "Amal Haddad") ||
		!strings.Contains(page.Body, e.tr("sv", "cc.translations.is_checked")) {
		t.Errorf("after saving: no word of it, or the translator or the check is not shown\n%s", webtest.Text(page.Body))
	}
	entries, _ := e.s.App.Audit.List(ctx, audit.Filter{Action: "cc.translate", ActorID: e.s.User(facil).ID})
	if len(entries) != 1 || entries[0].Subject != fmt.Sprintf("cc_workshop:%d", e.ws) || entries[0].Detail != "ar" {
		t.Errorf("the translation is not in the audit log: %+v", entries)
	}
	// The process's name too.
	form, _ = translationForm(t, f, ppath, "ar")
	form.Set(process.TextRef{Kind: "process", ID: e.proc.ID}.Field("title"), "أهداف لجنة الشؤون الاجتماعية 2023")
	if r := f.Post(ppath, form); r.Status != http.StatusSeeOther {
		t.Fatalf("translate the process: %d\n%s", r.Status, webtest.Text(r.Body))
	}

	// She reads Arabic: the workshop's name, agenda and question in
	// Arabic, with their language and direction; the place, which is not
	// translated, marked as Swedish.
	c := e.clients[pt]
	inLang(t, c, "ar")
	p := c.Get(fmt.Sprintf("/p/w/%d", e.ws))
	for _, want := range []string{
		`<h1 lang="ar" dir="rtl"><bdi dir="rtl">ورشة العمل الأولى</bdi></h1>`,
		`lang="ar" dir="rtl"><bdi dir="ltr">17.00</bdi> قهوة<br>اتصل على <bdi dir="ltr">010-123 45 67</bdi> إذا تأخرت.</p>`,
		`lang="ar" dir="rtl">ما الذي يعمل بشكل جيد جدًا؟</p>`,
		`<dd lang="sv" dir="ltr">Medborgarhuset</dd>`,
	} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("her workshop page in Arabic lacks %s\n%s", want, p.Body[strings.Index(p.Body, "<main"):])
		}
	}
	if !strings.Contains(p.Body, "<title>ورشة العمل الأولى – Megafon</title>") {
		t.Error("the page's title is not the Arabic name")
	}
	if home := c.Get("/p/"); !strings.Contains(home.Body, `<h3 lang="ar" dir="rtl"><a href="/p/w/`) || !strings.Contains(home.Body, `<p class="lead" lang="ar" dir="rtl"><bdi dir="rtl">أهداف لجنة الشؤون الاجتماعية <bdi dir="ltr">2023</bdi></bdi></p>`) {
		t.Errorf("her home page in Arabic:\n%s", webtest.Text(home.Body))
	}
	// In Somali nothing is translated: the Swedish, marked as Swedish.
	inLang(t, c, "so")
	p = c.Get(fmt.Sprintf("/p/w/%d", e.ws))
	if !strings.Contains(p.Body, `<h1 lang="sv" dir="ltr"><bdi dir="ltr">Första workshopen</bdi></h1>`) ||
		!strings.Contains(p.Body, `lang="sv" dir="ltr">Vad fungerar extra bra?</p>`) || !strings.Contains(p.Body, `<html lang="so"`) {
		t.Errorf("her page in Somali does not mark the Swedish as Swedish\n%s", p.Body)
	}
	// Whoever joins from the Arabic link reads the process's name in
	// Arabic, and can keep Arabic as her language.
	joiner := e.s.Client()
	inLang(t, joiner, "ar")
	j := joiner.Get("/join/" + e.proc.JoinCode)
	if !strings.Contains(j.Body, `<p class="lead" lang="ar" dir="rtl">`) || !strings.Contains(j.Body, `value="ar" checked`) {
		t.Errorf("the join page in Arabic:\n%s", j.Body)
	}

	// The Swedish agenda changes: the facilitator is told, on the page
	// she lands on and on the workshop's page; the translations page
	// marks the agenda as older and shows what the Swedish was.
	edit.Agenda = "17.30 Fika\nRing 010-123 45 67 om du blir sen."
	r = f.Post(fmt.Sprintf("/workshops/%d", e.ws), url.Values{"title": {edit.Title}, "date": {edit.Date}, "start": {edit.Start}, "end": {edit.End},
		"place": {edit.Place}, "agenda": {edit.Agenda}})
	wp := f.Get(r.Location)
	if !strings.Contains(wp.Body, e.tr("sv", "cc.flash.saved_stale")) || !strings.Contains(webtest.Text(wp.Body), e.tr("sv", "cc.translations.stale_warning")+" arabiska.") {
		t.Errorf("the facilitator is not told that the Arabic is older\n%s", webtest.Text(wp.Body))
	}
	form, page = translationForm(t, f, wpath, "ar")
	if !strings.Contains(page, e.tr("sv", "cc.translations.stale")) || !strings.Contains(page, "<s>17.00 Fika\nRing") ||
		!strings.Contains(page, e.tr("sv", "cc.translations.is_stale")) || strings.Contains(page, e.tr("sv", "cc.translations.is_checked")) ||
		!strings.Contains(page, `name="`+ws.Field("current")+`"`) {
		t.Errorf("the translations page does not mark the older agenda\n%s", webtest.Text(page))
	}
	if list := section(page, `translation-langs`, `</ul>`); !strings.Contains(list, e.tr("sv", "cc.translations.stale_count", "N", 1)) {
		t.Errorf("the language list does not count the older text: %s", webtest.Text(list))
	}
	// She who reads Arabic sees the translation, said to be older, with
	// the Swedish now beside it in Swedish.
	inLang(t, c, "ar")
	p = c.Get(fmt.Sprintf("/p/w/%d", e.ws))
	if stale := section(p.Body, `<details class="stale">`, `</details>`); !strings.Contains(stale, e.tr("ar", "cc.translation.stale_note")) ||
		!strings.Contains(stale, `<p lang="sv" dir="ltr">17.30 Fika<br>Ring 010-123 45 67 om du blir sen.</p>`) {
		t.Errorf("the older Arabic agenda is not said to be older, with the Swedish:\n%s", stale)
	}

	// A form opened before the Swedish changed again saves nothing: she
	// is told, and what she typed is there to save again.
	edit.Agenda = "18.00 Fika"
	f.Post(fmt.Sprintf("/workshops/%d", e.ws), url.Values{"title": {edit.Title}, "date": {edit.Date}, "start": {edit.Start}, "end": {edit.End},
		"place": {edit.Place}, "agenda": {edit.Agenda}})
	form.Set(ws.Field("title"), "ورشة العمل الأولى")
	form.Set(ws.Field("body"), "17.30 قهوة")
	r = f.Post(wpath, form)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, e.tr("sv", "cc.error.swedish_changed")) || !strings.Contains(r.Body, ">17.30 قهوة</textarea>") ||
		!strings.Contains(r.Body, "18.00 Fika") {
		t.Errorf("saving against an older Swedish: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	got, _ := e.st.Workshop(ctx, e.ws)
	if got.Texts["ar"].Body != "17.00 قهوة\nاتصل على 010-123 45 67 إذا تأخرت." {
		t.Errorf("a refused save changed the translation: %q", got.Texts["ar"].Body)
	}
	// Against the Swedish now, the rewritten agenda is current.
	form, _ = translationForm(t, f, wpath, "ar")
	form.Set(ws.Field("title"), "ورشة العمل الأولى")
	form.Set(ws.Field("body"), "18.00 قهوة")
	form.Set(ws.Field("by"), "Amal Haddad")
	form.Set(pq.Field("title"), "ما الذي يعمل بشكل جيد جدًا؟")
	if r := f.Post(wpath, form); r.Status != http.StatusSeeOther {
		t.Fatalf("save again: %d\n%s", r.Status, webtest.Text(r.Body))
	}
	if wp := f.Get(fmt.Sprintf("/workshops/%d", e.ws)); strings.Contains(webtest.Text(wp.Body), e.tr("sv", "cc.translations.stale_warning")) {
		t.Error("the warning stays after the translation was brought up to date")
	}
}
