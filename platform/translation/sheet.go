package translation

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"megafon/platform/i18n"
	"megafon/platform/input"
)

// The sheet's columns, in order. A translator fills Translation and, when
// she speaks the language fluently and has checked a row, Checked; Hash
// tells the import which Swedish text the row was made from.
const (
	colKey = iota
	colForm
	colSwedish
	colEnglish
	colTranslation
	colChecked
	colHash
	columns
)

// Header is the sheet's first row, in the administrator's language.
type Header [columns]string

// widths of the columns, in characters: room for a key, for reading the
// sources and for writing the translation over a few wrapped lines.
var widths = [columns]float64{34, 8, 45, 45, 55, 14, 16}

// WriteSheet writes lang's messages as an XLSX workbook: one row per key
// and plural form, the header frozen, the text wrapped, the sheet right to
// left for a right-to-left language. Its one sheet is named after the
// language's code, which the import checks.
func WriteSheet(w io.Writer, lang i18n.Lang, entries []i18n.Entry, header Header) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := lang.Code
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	rtl := i18n.Dir(lang.HTML) == "rtl"
	if err := f.SetSheetView(sheet, 0, &excelize.ViewOptions{RightToLeft: &rtl}); err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}}})
	if err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	for i, width := range widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("write sheet %s: %w", lang.Code, err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	row := 1
	put := func(cells [columns]string, style int) error {
		vals := make([]any, columns)
		for i, s := range cells {
			vals[i] = excelize.Cell{StyleID: style, Value: s}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(header, bold); err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	for _, e := range entries {
		forms := []string{""}
		if e.Swedish.Plural() {
			forms = lang.Forms
		}
		mark := ""
		if e.Checked {
			mark = "x"
		}
		hash := i18n.SourceHash(e.Swedish)
		for _, form := range forms {
			f := form
			if f == "" {
				f = "other"
			}
			cells := [columns]string{colKey: e.Key, colForm: form, colSwedish: source(e.Swedish, f), colEnglish: source(e.English, f),
				colTranslation: e.Text[f], colChecked: mark, colHash: hash}
			if err := put(cells, wrap); err != nil {
				return fmt.Errorf("write sheet %s row %d: %w", lang.Code, row, err)
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write sheet %s: %w", lang.Code, err)
	}
	return nil
}

// source is a Swedish or English message's text for a plural form of the
// translated language: its own form where it has it ("one"), else the
// text for many ("other"), which reads right for Arabic's "few" and "many".
func source(m i18n.Message, form string) string {
	if s, ok := m[form]; ok {
		return s
	}
	return m["other"]
}

// Limits on an uploaded sheet. The Arabic sheet, the largest (six plural
// forms), is 113 KB for 1,144 messages and unpacks to 0.65 MB (see
// BenchmarkExportArabic); the limits leave room for a catalogue many
// times that, and stop a zip bomb before it is unpacked (declared sizes)
// and while it is (archive/zip stops at the declared size, and the XML
// parts are unpacked once to check it).
const (
	MaxFileSize    = 4 << 20  // the upload
	MaxRows        = 20_000   // rows of the sheet, header included
	maxCellRunes   = 10_000   // any cell the import reads, as a form field
	unzipTotal     = 32 << 20 // every entry together
	unzipSheet     = 32 << 20 // one worksheet (excelize streams a large one from a temporary file)
	unzipStrings   = 8 << 20  // the shared strings, which excelize holds in memory
	unzipOther     = 1 << 20  // any other XML part
	unzipXMLMemory = 8 << 20  // excelize: larger parts go to a temporary file
)

// Why a file is not read at all. Each is the last part of a translation
// key, "translation.error.<code>".
var (
	ErrNotXLSX       = errors.New("not_xlsx")
	ErrUnpacksTooBig = errors.New("unpacks_too_big")
	ErrTooManyRows   = errors.New("too_many_rows")
)

// OtherLanguageError is a sheet made for another interface language.
type OtherLanguageError struct{ Lang string }

func (e *OtherLanguageError) Error() string { return "a sheet for " + e.Lang }

// Sheet is what ReadSheet found.
type Sheet struct {
	Rows  []Row
	Blank int // empty rows, skipped
}

// ReadSheet reads a translator's sheet for lang: the sheet named after
// lang, or when the workbook has none named after any interface language,
// its first. The first row is the header. Every cell it reads passes the
// input filter; a cell that does not makes its row rejected, not the file.
// The errors that refuse the file wrap ErrNotXLSX, ErrUnpacksTooBig or
// ErrTooManyRows, or are an *OtherLanguageError.
func ReadSheet(data []byte, lang string) (*Sheet, error) {
	if err := checkArchive(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipTotal, UnzipXMLSizeLimit: unzipXMLMemory})
	if err != nil {
		return nil, fmt.Errorf("read sheet: %w: %v", ErrNotXLSX, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	name := ""
	switch {
	case slices.Contains(sheets, lang):
		name = lang
	case len(sheets) == 0:
		return nil, fmt.Errorf("read sheet: no sheets: %w", ErrNotXLSX)
	default:
		for _, s := range sheets {
			if i18n.IsUILang(s) {
				return nil, &OtherLanguageError{Lang: s}
			}
		}
		name = sheets[0]
	}
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("read sheet %q: %w: %v", name, ErrNotXLSX, err)
	}
	defer rows.Close()
	out := &Sheet{}
	// excelize's iterator steps through missing (empty) rows too, so the
	// count of steps is the row number.
	for n := 1; rows.Next(); n++ {
		if n > MaxRows {
			return nil, fmt.Errorf("read sheet: more than %d rows: %w", MaxRows, ErrTooManyRows)
		}
		cells, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("read sheet row %d: %w: %v", n, ErrNotXLSX, err)
		}
		if n == 1 {
			continue
		}
		if len(cells) > columns {
			cells = cells[:columns] // a translator's own notes beside the sheet
		}
		if blank(cells) {
			out.Blank++
			continue
		}
		out.Rows = append(out.Rows, readRow(n, cells))
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("read sheet: %w: %v", ErrNotXLSX, err)
	}
	return out, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readRow passes each cell the import reads through the input filter, as
// a form's field would be. The Swedish and English columns are the
// translator's to read, and are not read back.
func readRow(n int, cells []string) Row {
	var c [columns]string
	copy(c[:], cells)
	row := Row{Number: n}
	for _, i := range []int{colKey, colForm, colTranslation, colChecked, colHash} {
		clean, err := input.Text(c[i], maxCellRunes)
		switch {
		case errors.Is(err, input.ErrTooLong):
			row.Bad = TooLong
		case err != nil:
			row.Bad = Control
		}
		c[i] = clean
	}
	row.Key = strings.TrimSpace(c[colKey])
	row.Form = strings.TrimSpace(c[colForm])
	row.Text = c[colTranslation]
	row.Checked = strings.TrimSpace(c[colChecked])
	row.Hash = strings.TrimSpace(c[colHash])
	return row
}

// checkArchive refuses a file that is not a zip with a workbook, and a
// workbook whose entries declare more than the limits or unpack to more
// than they declare.
func checkArchive(data []byte) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("read sheet: %w: %v", ErrNotXLSX, err)
	}
	var total uint64
	workbook := false
	for _, e := range z.File {
		name := strings.ToLower(e.Name)
		size := e.UncompressedSize64
		total += size
		limit := uint64(0)
		switch {
		case name == "xl/workbook.xml":
			workbook = true
			limit = unzipOther
		case strings.HasPrefix(name, "xl/worksheets/") && path.Ext(name) == ".xml":
			limit = unzipSheet
		case name == "xl/sharedstrings.xml":
			limit = unzipStrings
		case path.Ext(name) == ".xml" || path.Ext(name) == ".rels":
			limit = unzipOther
		}
		if limit > 0 && size > limit || total > unzipTotal {
			return fmt.Errorf("read sheet: %s unpacks to %d bytes (%d in all so far): %w", e.Name, size, total, ErrUnpacksTooBig)
		}
		if limit > 0 {
			if err := unpacksAsDeclared(e); err != nil {
				return fmt.Errorf("read sheet: %s does not unpack to its declared size: %w: %v", e.Name, ErrNotXLSX, err)
			}
		}
	}
	if !workbook {
		return fmt.Errorf("read sheet: a zip without a workbook: %w", ErrNotXLSX)
	}
	return nil
}

// unpacksAsDeclared unpacks an entry to nowhere: archive/zip fails when it
// unpacks to more than it declares or its checksum is wrong (excelize
// would read such a part cut short without a word).
func unpacksAsDeclared(e *zip.File) error {
	rc, err := e.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}
