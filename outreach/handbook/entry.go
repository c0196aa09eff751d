// Package handbook is Outreach's verified, multilingual handbook: questions
// and answers, fact sheets, call scripts and SMS texts of an operation, each
// with topics, a source, a date it is valid until and translations; a status
// flow in which only a coordinator verifies; every version kept and
// diffable; and the callers' view, search and printable handbook.
//
// The call screen uses Store.ForCaller and Store.Entry.
package handbook

import (
	"slices"
	"strings"
	"time"

	"megafon/platform/auth"
	"megafon/platform/i18n"
	"megafon/platform/input"
	"megafon/platform/problem"
)

// Kind is what sort of entry it is.
type Kind string

// The kinds of entries.
const (
	QA         Kind = "qa"
	FactSheet  Kind = "fact_sheet"
	CallScript Kind = "call_script"
	SMS        Kind = "sms"
)

// Kinds lists every kind, in the order forms show them.
var Kinds = []Kind{QA, FactSheet, CallScript, SMS}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Topics is the fixed list of topics that entries, and later residents'
// questions, are filed under, so that they can be charted week by week.
// Their names are in the catalogue as handbook.topic.<key>.
var Topics = []string{"symptoms", "testing", "vaccination", "isolation", "school", "work", "benefits", "housing", "health_care", "travel", "other"}

// Status is where a version is in its flow.
type Status string

// The statuses.
const (
	Draft      Status = "draft"
	InReview   Status = "in_review"
	Verified   Status = "verified"
	Superseded Status = "superseded"
	Archived   Status = "archived"
)

// Action is a step of the status flow.
type Action string

// The actions.
const (
	Submit   Action = "submit"    // draft -> in_review
	Verify   Action = "verify"    // in_review -> verified
	SendBack Action = "send_back" // in_review -> draft
	Archive  Action = "archive"   // draft, in_review or verified -> archived
)

// Next returns the status a version in from reaches by action, or false
// when the flow does not allow it. Superseding is not an action: it
// happens to the verified version when a newer one is verified.
func Next(from Status, a Action) (Status, bool) {
	switch {
	case a == Submit && from == Draft:
		return InReview, true
	case a == Verify && from == InReview:
		return Verified, true
	case a == SendBack && from == InReview:
		return Draft, true
	case a == Archive && (from == Draft || from == InReview || from == Verified):
		return Archived, true
	}
	return from, false
}

// Open reports whether a version in this status is still being worked on,
// so that edits change it rather than start a new version.
func (s Status) Open() bool { return s == Draft || s == InReview }

// CanEdit reports whether u may write and edit entries of an operation led
// by leadOrgID: its coordinators and administrators. Other city
// coordinators read.
func CanEdit(u *auth.User, leadOrgID int64) bool {
	return u.IsAdmin() || u.HasIn(leadOrgID, auth.Coordinator)
}

// CanVerify reports whether u may verify (and send back) entries of an
// operation led by leadOrgID: only a coordinator of that administration.
func CanVerify(u *auth.User, leadOrgID int64) bool {
	return u.HasIn(leadOrgID, auth.Coordinator)
}

// errSecondVerifier refuses an author verifying her own version when
// another coordinator of the lead administration could.
var errSecondVerifier = problem.New(problem.Forbidden, "handbook.error.second_verifier")

// SecondVerifier decides whether verifierID may verify a version written
// by authorID, when the lead administration has others other active
// coordinators: anyone but the author may; the author only when there is
// nobody else, and then alone is true, so that it is recorded and shown.
// A second pair of eyes is what verifying means; a city with one
// coordinator must still be able to publish.
func SecondVerifier(verifierID, authorID int64, others int) (alone bool, err error) {
	switch {
	case verifierID != authorID:
		return false, nil
	case others > 0:
		return false, errSecondVerifier
	}
	return true, nil
}

// CanSeeUnverified reports whether u may see drafts, versions in review
// and expired entries: any city coordinator and administrators. Group leads
// and volunteers see only what callers see.
func CanSeeUnverified(u *auth.User) bool {
	return u.IsAdmin() || u.Has(auth.Coordinator)
}

// MaxTitleRunes bounds a title (the form's maxlength): it is a heading
// and a line of the PDF's outline.
const MaxTitleRunes = 300

// Translation is the text of a version in one language.
type Translation struct {
	Lang         string // BCP 47
	Title        string
	Body         string
	TranslatedBy string // who translated it (a name, or an agency)
	Checked      bool   // a second person checked the translation
	// SourceVersion is the revision of the Swedish text this translation
	// was made from; on the Swedish translation, the revision of its own
	// text. The store sets it: an editor never types it.
	SourceVersion int
}

// Dir is the writing direction of the translation.
func (t Translation) Dir() string { return i18n.Dir(t.Lang) }

// EntryDraft is what an editor submits for an entry.
type EntryDraft struct {
	Kind         Kind
	Topics       []string
	Source       string
	ValidUntil   string // YYYY-MM-DD
	Translations []Translation
	// StillMatches lists the languages whose translation the editor
	// confirms still says what the Swedish says, though she did not
	// change it: they count as made from the current Swedish text.
	StillMatches []string
}

// Swedish is the handbook's source language, which every entry has.
const Swedish = "sv"

// Clean trims the draft's text, normalises its language tags, and returns
// every problem found: an unknown kind or topic, a bad date, a missing
// Swedish title, an unknown or repeated language tag, a translation without
// a title.
func (d *EntryDraft) Clean() error {
	var l problem.List
	if !d.Kind.Valid() {
		l.Add("kind", "handbook.error.kind")
	}
	for _, t := range d.Topics {
		if !slices.Contains(Topics, t) {
			l.Add("topics", "handbook.error.topic")
			break
		}
	}
	d.Source = strings.TrimSpace(d.Source)
	d.ValidUntil = strings.TrimSpace(d.ValidUntil)
	if _, err := time.Parse(time.DateOnly, d.ValidUntil); err != nil {
		l.Add("valid_until", "handbook.error.valid_until")
	}
	seen := map[string]bool{}
	hasSwedish := false
	for i := range d.Translations {
		t := &d.Translations[i]
		t.Title, t.Body, t.TranslatedBy = strings.TrimSpace(t.Title), strings.TrimSpace(t.Body), strings.TrimSpace(t.TranslatedBy)
		tag, err := i18n.NormalizeTag(t.Lang)
		if err != nil {
			l = append(l, problem.Field("lang", "handbook.error.lang", "Tag", t.Lang))
			continue
		}
		t.Lang = tag
		if seen[tag] {
			l = append(l, problem.Field("lang", "handbook.error.lang_twice", "Tag", tag))
		}
		seen[tag] = true
		if _, err := input.Line(t.Title, MaxTitleRunes); err != nil {
			l = append(l, problem.Field("title", "handbook.error.title_line", "Tag", tag, "Max", MaxTitleRunes))
		}
		if t.Title == "" {
			if tag == Swedish {
				continue // reported below as the missing Swedish title
			}
			l = append(l, problem.Field("title", "handbook.error.title", "Tag", tag))
		}
		if tag == Swedish && t.Title != "" {
			hasSwedish = true
		}
	}
	if !hasSwedish {
		l.Add("title", "handbook.error.swedish_title")
	}
	// A confirmation comes with its row, whose tag is checked above.
	still := d.StillMatches[:0:0]
	for _, lang := range d.StillMatches {
		if tag, err := i18n.NormalizeTag(lang); err == nil && tag != Swedish && !slices.Contains(still, tag) {
			still = append(still, tag)
		}
	}
	d.StillMatches = still
	return l.Err()
}

// Version is one version of an entry, with all its translations.
type Version struct {
	ID             int64
	EntryID        int64
	Number         int
	Status         Status
	Kind           Kind
	Topics         []string
	Source         string
	ValidUntil     string
	CreatedByName  string
	CreatedAt      time.Time
	VerifiedByName string
	VerifiedAt     time.Time
	VerifiedAlone  bool // by its author: the lead administration had no other coordinator
	Translations   []Translation
}

// Expired reports whether the version is past its valid-until date on the
// day of now (Swedish time: guidance valid "until 31 March" holds all that
// day).
func (v Version) Expired(now time.Time) bool { return Expired(v.ValidUntil, now) }

// Expired reports whether a YYYY-MM-DD date is before the day of now in
// Stockholm.
func Expired(validUntil string, now time.Time) bool {
	return validUntil < Today(now)
}

var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// Today is the date of now in Stockholm, YYYY-MM-DD.
func Today(now time.Time) string { return now.In(stockholm).Format(time.DateOnly) }

// In returns the translation in lang, or false.
func (v Version) In(lang string) (Translation, bool) {
	for _, t := range v.Translations {
		if t.Lang == lang {
			return t, true
		}
	}
	return Translation{}, false
}

// Pick returns the translation in the first of langs that the version has,
// or else the Swedish one. fallback is set when it is not in the first of
// langs, the reader's own language.
func (v Version) Pick(langs []string) (t Translation, fallback bool) {
	for i, l := range langs {
		if t, ok := v.In(l); ok {
			return t, i > 0
		}
	}
	t, _ = v.In(Swedish)
	return t, true
}

// Langs lists the languages the version is translated into.
func (v Version) Langs() []string {
	out := make([]string, len(v.Translations))
	for i, t := range v.Translations {
		out[i] = t.Lang
	}
	return out
}

// CallerEntry is an entry as a caller sees it: the verified, valid version
// in the first of her languages that it has.
type CallerEntry struct {
	EntryID    int64
	VersionID  int64
	Kind       Kind
	Topics     []string
	Source     string
	ValidUntil string
	VerifiedAt time.Time
	Translation
	Fallback bool   // not in her own language: this is the next one she reads, or Swedish
	Outdated string // the language whose translation she would read is out of date: this is the Swedish
	Wanted   string // her own language
	New      bool   // verified since her last visit
}

func splitTopics(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// SwedishTitle is the version's title in Swedish.
func (v Version) SwedishTitle() string { t, _ := v.In(Swedish); return t.Title }

// OutOfDate reports whether the translation in lang was made from an
// older Swedish text than the version has: carried over unchanged while
// the Swedish changed, it may now say something else. Swedish itself never
// is.
func (v Version) OutOfDate(lang string) bool {
	if lang == Swedish {
		return false
	}
	t, ok := v.In(lang)
	sv, hasSv := v.In(Swedish)
	return ok && hasSv && t.SourceVersion < sv.SourceVersion
}

// OutOfDateLangs lists the languages whose translation is out of date.
func (v Version) OutOfDateLangs() []string {
	var out []string
	for _, t := range v.Translations {
		if v.OutOfDate(t.Lang) {
			out = append(out, t.Lang)
		}
	}
	return out
}

// CallerText returns what a caller reading langs (her own first) is shown:
// the translation that Pick chooses, unless it is out of date; then the
// Swedish text, with outdated set, so that she reads what the city says
// now and is told why it is in Swedish.
func (v Version) CallerText(langs []string) (t Translation, fallback, outdated bool) {
	t, fallback = v.Pick(langs)
	if v.OutOfDate(t.Lang) {
		sv, _ := v.In(Swedish)
		return sv, false, true
	}
	return t, fallback, false
}

// SourceVersions sets the SourceVersion of every translation of next, the
// text an editor saves over prev (the translations of the entry's newest
// version; none for a new entry) as version number, where maxRev is the
// highest revision the entry has had. When the Swedish title or body
// changed, it is a new revision: the version's number, or one past maxRev
// when it already changed in this open version. A translation the editor
// wrote or changed, or confirmed in stillMatches, is made from the
// Swedish as it is now; one carried over unchanged keeps the revision it
// was made from, and so is out of date when the Swedish changed.
func SourceVersions(prev, next []Translation, stillMatches []string, number, maxRev int) {
	find := func(ts []Translation, lang string) (Translation, bool) {
		for _, t := range ts {
			if t.Lang == lang {
				return t, true
			}
		}
		return Translation{}, false
	}
	rev := max(number, maxRev+1)
	oldSv, ok := find(prev, Swedish)
	newSv, _ := find(next, Swedish)
	if ok && sameText(oldSv, newSv) {
		rev = oldSv.SourceVersion
	}
	for i := range next {
		t := &next[i]
		t.SourceVersion = rev
		if t.Lang == Swedish || slices.Contains(stillMatches, t.Lang) {
			continue
		}
		if old, ok := find(prev, t.Lang); ok && sameText(old, *t) {
			t.SourceVersion = min(old.SourceVersion, rev)
		}
	}
}

// sameText reports whether two translations say the same, as a form sends
// it back: line ends and bidirectional controls aside.
func sameText(a, b Translation) bool {
	norm := func(s string) string {
		return strings.TrimSpace(input.StripBidiControls(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")))
	}
	return norm(a.Title) == norm(b.Title) && norm(a.Body) == norm(b.Body)
}
