package importfile

import (
	"fmt"
	"megafon/platform/input"
	"strings"
	"unicode"

	"megafon/outreach/contact/phone"
)

// Field is what a column holds.
type Field string

// The fields of a contact that a column can fill.
const (
	FieldNone      Field = ""          // the column is not imported
	FieldPhone     Field = "phone"     // a phone number; with several columns, the first valid one
	FieldName      Field = "name"      // a name; several columns (first name, last name) are joined
	FieldLanguages Field = "languages" // languages; several columns are combined
	FieldDistrict  Field = "district"  // the district; with several columns, the first non-empty one
	FieldConsent   Field = "consent"   // the lawful basis or consent note; several are joined
)

// Fields lists the fields a column can be mapped to.
var Fields = []Field{FieldPhone, FieldName, FieldLanguages, FieldDistrict, FieldConsent}

// The reasons a row is not imported.
const (
	CodeMissingPhone    Code = "missing_phone"    // no phone column has a value
	CodeBadNumber       Code = "bad_number"       // the number cannot be normalised; Reason has the phone package's code
	CodeUnknownLanguage Code = "unknown_language" // a language that is neither a known name nor a BCP 47 tag
	CodeTooLong         Code = "too_long"         // a cell too long to be what its column says
	CodeControl         Code = "control"          // a cell with a control character (NUL, ESC ...) that no one typed
	CodeNoPhoneColumn   Code = "no_phone_column"  // the mapping has no phone column
)

// DefaultRegion is the region of phone numbers written without a country
// code, unless a Mapping says otherwise.
const DefaultRegion = "SE"

// maxCell bounds a mapped cell: longer than this it is not a name, a
// district or a list of languages, but probably a file whose quotes ran
// on.
const maxCell = 1000

// Mapping says which field each column of a file fills. The zero value
// maps nothing. It is plain data, to be stored and offered again for the
// next file with the same header.
type Mapping struct {
	Columns []Field `json:"columns"`          // Columns[i] is the field of column i
	Region  string  `json:"region,omitempty"` // for numbers without a country code; "" is DefaultRegion
}

// Validate reports a mapping that cannot import anything: one without a
// phone column.
func (m Mapping) Validate() error {
	for _, f := range m.Columns {
		if f == FieldPhone {
			return nil
		}
	}
	return &Error{Op: "map columns", Code: CodeNoPhoneColumn, Reason: "no column is mapped to the phone number"}
}

// columns returns the indexes of the columns mapped to f, in file order.
func (m Mapping) columns(f Field) []int {
	var idx []int
	for i, g := range m.Columns {
		if g == f {
			idx = append(idx, i)
		}
	}
	return idx
}

// headerWords are what people call each field in a header, after
// normaliseHeader; a header matches when it contains one of them. The
// fields are tried in this order, so "Stadsdelsnamn" is a district, not a
// name.
var headerWords = []struct {
	field Field
	words []string
}{
	{FieldDistrict, []string{"stadsdel", "district", "omrade", "neighbourhood", "neighborhood", "bydel"}},
	{FieldConsent, []string{"samtycke", "rattsliggrund", "consent", "lawfulbasis", "legalbasis"}},
	{FieldLanguages, []string{"sprak", "language", "modersmal", "mothertongue"}},
	{FieldPhone, []string{"telefon", "mobil", "phone", "mobile"}},
	{FieldName, []string{"namn", "name"}},
}

// headerExact are short header words that would match too much as parts.
var headerExact = map[string]Field{
	"tel": FieldPhone, "telnr": FieldPhone, "tfn": FieldPhone, "nr": FieldNone,
	"cell": FieldPhone, "lang": FieldLanguages, "area": FieldDistrict,
}

// Guess proposes a mapping from the names in a header, Swedish or English:
// "Telefon", "Mobil", "Namn", "Förnamn", "Språk", "Stadsdel", "Samtycke",
// "Phone", "Name", "Language", "District", "Consent" and variants. Columns
// it does not recognise are not imported; a person checks the proposal.
func Guess(header []string) Mapping {
	m := Mapping{Columns: make([]Field, len(header))}
	for i, h := range header {
		key := normaliseHeader(h)
		if f, ok := headerExact[key]; ok {
			m.Columns[i] = f
			continue
		}
	rules:
		for _, rule := range headerWords {
			for _, w := range rule.words {
				if strings.Contains(key, w) {
					m.Columns[i] = rule.field
					break rules
				}
			}
		}
	}
	return m
}

// GuessFromRow proposes a mapping for a file without a header from its
// first data row: a column whose cell is a phone number holds phones, one
// whose cell names only known languages holds languages.
func GuessFromRow(cells []string) Mapping {
	m := Mapping{Columns: make([]Field, len(cells))}
	phoneFound, langsFound := false, false
	for i, c := range cells {
		if c == "" {
			continue
		}
		if _, err := phone.Normalize(c, DefaultRegion); err == nil && !phoneFound {
			m.Columns[i], phoneFound = FieldPhone, true
			continue
		}
		if tags, unknown := ParseLanguages(c); len(tags) > 0 && len(unknown) == 0 && !langsFound {
			m.Columns[i], langsFound = FieldLanguages, true
		}
	}
	return m
}

// normaliseHeader lower-cases h, folds å ä ö and other accents, and keeps
// only letters: "Telefon-nr (mobil)" becomes "telefonnrmobil".
func normaliseHeader(h string) string {
	var b strings.Builder
	for _, r := range foldAccents(strings.ToLower(h)) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Candidate is a contact read from a row, not yet checked against the
// contacts already there or the do-not-call list.
type Candidate struct {
	Row       int
	Phone     string   // E.164
	Name      string   // "" when none
	Languages []string // BCP 47 tags, in the order given, without repeats
	District  string
	Consent   string // the lawful basis or consent note from the file, if any
}

// Problem is why a row, or part of it, cannot be imported. It names the
// row and column, never the personal data in it.
type Problem struct {
	Row    int
	Column int // 0-based index of the column; -1 when no one column is at fault
	Field  Field
	Code   Code
	Reason string // in English, for logs and as a detail: the phone package's code, or the unknown language
}

func (p Problem) String() string {
	return fmt.Sprintf("row %d: %s: %s", p.Row, p.Code, p.Reason)
}

// Apply reads row with mapping m. The row is imported only when there are
// no problems; the candidate is filled as far as possible either way, for
// the preview.
func Apply(m Mapping, row Row) (Candidate, []Problem) {
	c := Candidate{Row: row.Number}
	var problems []Problem
	report := func(col int, f Field, code Code, reason string) {
		problems = append(problems, Problem{Row: row.Number, Column: col, Field: f, Code: code, Reason: reason})
	}
	// Cells pass the same filter as a form's values: a control character
	// refuses the row (reported, not dropped), bidi controls are removed.
	cells := make([]string, len(row.Cells))
	copy(cells, row.Cells)
	row.Cells = cells
	for i, f := range m.Columns {
		if f == FieldNone {
			continue
		}
		if len(row.Cell(i)) > maxCell {
			report(i, f, CodeTooLong, fmt.Sprintf("%d characters", len(row.Cell(i))))
			continue
		}
		clean, err := input.Text(row.Cell(i), maxCell)
		if err != nil {
			report(i, f, CodeControl, "")
			continue
		}
		if i < len(row.Cells) {
			row.Cells[i] = clean
		}
	}
	if len(problems) > 0 {
		return c, problems
	}

	region := m.Region
	if region == "" {
		region = DefaultRegion
	}
	firstBad, firstErr := -1, error(nil)
	for _, i := range m.columns(FieldPhone) {
		raw := row.Cell(i)
		if raw == "" {
			continue
		}
		n, err := phone.Normalize(raw, region)
		if err == nil {
			c.Phone = n
			break
		}
		if firstBad < 0 {
			firstBad, firstErr = i, err
		}
	}
	switch {
	case c.Phone != "":
	case firstBad >= 0:
		report(firstBad, FieldPhone, CodeBadNumber, string(phone.CodeOf(firstErr)))
	default:
		report(-1, FieldPhone, CodeMissingPhone, "no phone number")
	}

	var names, consents []string
	for _, i := range m.columns(FieldName) {
		if s := strings.Join(strings.Fields(row.Cell(i)), " "); s != "" {
			names = append(names, s)
		}
	}
	c.Name = strings.Join(names, " ")

	for _, i := range m.columns(FieldLanguages) {
		tags, unknown := ParseLanguages(row.Cell(i))
		for _, t := range tags {
			if !contains(c.Languages, t) {
				c.Languages = append(c.Languages, t)
			}
		}
		for _, u := range unknown {
			report(i, FieldLanguages, CodeUnknownLanguage, u)
		}
	}

	for _, i := range m.columns(FieldDistrict) {
		if s := row.Cell(i); s != "" {
			c.District = strings.Join(strings.Fields(s), " ")
			break
		}
	}
	for _, i := range m.columns(FieldConsent) {
		if s := row.Cell(i); s != "" {
			consents = append(consents, s)
		}
	}
	c.Consent = strings.Join(consents, "; ")
	return c, problems
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
