// Package csvout writes every CSV file the project hands out: with a
// UTF-8 byte order mark, so that Excel reads å, ä and ö; with the
// separator Excel expects in the reader's language; and with every cell
// that a spreadsheet would run as a formula defused.
//
// A downloaded CSV holds what people typed (notes, names, the cells of an
// uploaded file), and Excel runs a cell that starts with = + - or @ as a
// formula (CSV injection). One writer for every export means no export
// can forget it; TestNoOtherCSVWriter keeps it so.
package csvout

import (
	"encoding/csv"
	"io"
	"strings"
)

// Writer writes CSV records with formulas defused.
type Writer struct {
	w   *csv.Writer
	err error
}

// NewWriter starts a CSV file on w: it writes the byte order mark at once.
// The separator is ";" for Swedish readers (Swedish Excel uses the comma
// as the decimal separator and expects ";") and "," for the others.
func NewWriter(w io.Writer, lang string) *Writer {
	_, err := io.WriteString(w, "\uFEFF")
	cw := csv.NewWriter(w)
	cw.Comma = Separator(lang)
	return &Writer{w: cw, err: err}
}

// Separator is the field separator of a CSV file for a reader of lang.
func Separator(lang string) rune {
	if lang == "sv" {
		return ';'
	}
	return ','
}

// Write writes one record, defusing its cells; it does not change record.
func (w *Writer) Write(record []string) error {
	if w.err != nil {
		return w.err
	}
	out := make([]string, len(record))
	for i, c := range record {
		out[i] = Defuse(c)
	}
	w.err = w.w.Write(out)
	return w.err
}

// Flush writes what is buffered and returns the first error of the file.
func (w *Writer) Flush() error {
	w.w.Flush()
	if w.err == nil {
		w.err = w.w.Error()
	}
	return w.err
}

// Defuse keeps a spreadsheet from reading a cell as a formula: a cell that
// starts with = + - @, a tab or a carriage return gets a leading
// apostrophe, which Excel and LibreOffice show as text.
func Defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
