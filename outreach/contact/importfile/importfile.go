// Package importfile reads the contact lists that partner groups upload,
// CSV or XLSX, the way a person sees them in Excel: row numbers count from
// the header as row 1, blank rows are skipped but keep their numbers, and
// the separator and text encoding are found from the file itself.
//
// Reading is streaming: Open reads the header, and Table.Next returns one
// data row at a time, so a list of 100,000 rows is never held twice. (An
// XLSX file is a zip archive, which is read into memory once; its sheet is
// then streamed.)
//
// Mapping says which column holds what; Guess proposes one from the header
// and Apply turns a row into a Candidate, or reports its Problems with the
// row number. De-duplication and the do-not-call list come later, with the
// keyed hashes of the normalised numbers.
package importfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"strings"
	"unicode"

	"megafon/outreach/contact/phone"
)

// Format is a kind of file that can be imported.
type Format string

// The formats Open reads.
const (
	CSV  Format = "csv"  // text with , ; or tab between fields (also .txt and .tsv)
	XLSX Format = "xlsx" // Excel 2007 and later
)

// Code is the stable, machine-readable reason for an error or a problem.
type Code string

// The reasons a file cannot be read at all.
const (
	CodeEmptyFile    Code = "empty_file"         // no rows, or only blank ones
	CodeUnsupported  Code = "unsupported_format" // .xls, .ods, .numbers ...: save as XLSX or CSV
	CodeBadFile      Code = "bad_file"           // damaged, or not what its name says
	CodeUnknownSheet Code = "unknown_sheet"      // the sheet asked for is not in the workbook
	CodeReadFailed   Code = "read_failed"        // the upload could not be read
	CodeImage        Code = "image"              // a picture (PNG, JPEG, GIF), not a list
	CodePDF          Code = "pdf"                // a PDF document, not a list
	CodeArchive      Code = "archive"            // gzip, zip (not a workbook), rar, 7z: unpack it first
	CodeBinary       Code = "binary"             // bytes that are not text: NUL or other control bytes
	CodeTooBig       Code = "too_big"            // a workbook that unpacks to more than the limits (a zip bomb)
	CodeTooManyCols  Code = "too_many_columns"   // a row of more than MaxColumns cells; Error.Row says which
	CodeCellTooLong  Code = "cell_too_long"      // a cell of more than MaxCellLen bytes; Error.Row says which
	CodeStrayQuote   Code = "stray_quote"        // a quotation mark that swallows the rows after it; Error.Row says where it opened
)

// Limits on what one file may hold. A list of residents has a handful of
// columns and short cells; without limits a 500 KB file of 250,000 columns
// made a 100 MB page, and one cell can be the whole file.
const (
	MaxColumns = 200
	MaxCellLen = 2000 // bytes
)

// Error is a file that cannot be read, with a stable Code and a Reason
// for logs.
type Error struct {
	Op     string // "open", "read row" ...
	Code   Code
	Row    int // the row at fault, as Excel numbers it, when there is one
	Reason string
	Err    error
}

func (e *Error) Error() string {
	s := "import " + e.Op + ": " + string(e.Code)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// CodeOf returns the Code of the *Error in err's chain, or "".
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Row is one non-blank data row. Number is the row number Excel shows;
// Cells are trimmed of surrounding spaces and may be fewer or more than
// the header's columns.
type Row struct {
	Number int
	Cells  []string
}

// Cell returns the cell in column i, or "" when the row is shorter.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// Table is an open file: its header, what was found about it, and its data
// rows, read one at a time with Next or Rows. Close it when done.
type Table struct {
	Header    []string // the first non-blank row, trimmed; blank names when NoHeader
	HeaderRow int      // its row number, 1 unless the file starts with blank rows
	Format    Format
	// NoHeader: the first non-blank row holds a phone number, so the file
	// has no header row and that row is the first data row (HeaderRow is
	// the row before it). A list copied out of a spreadsheet often starts
	// with its data; taking its first resident for a header would lose
	// her and keep her number where column names are kept.
	NoHeader bool

	Encoding  string // CSV: "utf-8", "utf-8-bom", "utf-16le", "utf-16be" or "windows-1252"
	Separator rune   // CSV: ',', ';' or '\t'

	Sheet  string   // XLSX: the sheet read
	Sheets []string // XLSX: every sheet, to let a person choose

	next    func() (Row, error)
	close   func() error
	err     error
	pending *Row // the first data row of a file without a header
	blank   int  // blank rows skipped since the header
}

// Blank is the number of blank rows skipped after the header so far:
// they have row numbers, and a report that accounts for every row says
// how many there were.
func (t *Table) Blank() int { return t.blank }

// Options choose what Open reads when the file alone does not say.
type Options struct {
	Format Format // "" to detect from the content and the name
	Sheet  string // XLSX: the sheet to read; "" for the first
}

// Open reads the header of the file r, named name (only its extension is
// used, to explain unsupported formats), and returns the table.
func Open(r io.Reader, name string) (*Table, error) {
	return OpenWith(r, name, Options{})
}

// OpenWith is Open with options.
func OpenWith(r io.Reader, name string, opts Options) (*Table, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	format := opts.Format
	if format == "" {
		var err error
		if format, err = detectFormat(br, name); err != nil {
			return nil, err
		}
	}
	var (
		t   *Table
		err error
	)
	switch format {
	case CSV:
		if err := sniffText(br); err != nil {
			return nil, err
		}
		t, err = openCSV(br)
	case XLSX:
		t, err = openXLSX(br, opts.Sheet)
	default:
		return nil, &Error{Op: "open", Code: CodeUnsupported, Reason: fmt.Sprintf("format %q", format)}
	}
	if err != nil {
		return nil, err
	}
	if err := t.readHeader(); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// Next returns the next non-blank data row, or io.EOF after the last.
func (t *Table) Next() (Row, error) {
	if t.pending != nil {
		row := *t.pending
		t.pending = nil
		return row, nil
	}
	if t.err != nil {
		return Row{}, t.err
	}
	row, err := t.next()
	if err != nil {
		t.err = err
	}
	return row, err
}

// Rows returns the remaining data rows as an iterator; an error, other
// than the end, is yielded once, last.
func (t *Table) Rows() iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		for {
			row, err := t.Next()
			if err == io.EOF {
				return
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// Close releases the file (for XLSX, temporary files for large sheets).
func (t *Table) Close() error {
	if t.close == nil {
		return nil
	}
	c := t.close
	t.close = nil
	return c()
}

func (t *Table) readHeader() error {
	row, err := t.next()
	if err == io.EOF {
		return &Error{Op: "open", Code: CodeEmptyFile, Reason: "no rows"}
	}
	if err != nil {
		return err
	}
	for i, c := range row.Cells {
		row.Cells[i] = strings.TrimSpace(strings.ReplaceAll(c, "\ufeff", ""))
	}
	t.blank = 0
	if !IsHeader(row.Cells) {
		t.NoHeader, t.pending = true, &row
		t.Header, t.HeaderRow = make([]string, len(row.Cells)), row.Number-1
		return nil
	}
	t.Header, t.HeaderRow = row.Cells, row.Number
	return nil
}

// IsHeader reports whether the first row of a file can be column names:
// none of its cells is a phone number, or looks like one (six digits or
// more, and more digits than anything else). A first row that is a
// resident whose number does not parse must not become column names,
// which would keep her name and number where column names are shown.
func IsHeader(cells []string) bool {
	for _, c := range cells {
		if _, err := phone.Normalize(c, DefaultRegion); err == nil || digitHeavy(c) {
			return false
		}
	}
	return true
}

// digitHeavy reports whether s has six digits or more and more digits
// than other characters, spaces aside: a number, perhaps mistyped.
func digitHeavy(s string) bool {
	digits, other := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case !unicode.IsSpace(r):
			other++
		}
	}
	return digits >= 6 && digits > other
}

// sniffSize is how much of the start of a file is looked at to find its
// format, encoding and separator.
const sniffSize = 64 << 10

// detectFormat looks at the first bytes: an XLSX file is a zip archive.
// The name only explains formats that cannot be read.
func detectFormat(br *bufio.Reader, name string) (Format, error) {
	head, err := br.Peek(8)
	if err != nil && err != io.EOF {
		return "", &Error{Op: "open", Code: CodeReadFailed, Err: err}
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, []byte(m.prefix)) {
			return "", &Error{Op: "open", Code: m.code, Reason: m.what}
		}
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if ext == ".ods" || ext == ".numbers" {
			return "", &Error{Op: "open", Code: CodeUnsupported, Reason: ext + ": save the file as XLSX or CSV"}
		}
		return XLSX, nil
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")):
		// The old binary Excel format; also what Excel makes of an XLSX
		// file protected with a password.
		return "", &Error{Op: "open", Code: CodeUnsupported, Reason: "old Excel (.xls) or password-protected file: save it as XLSX or CSV"}
	case ext == ".xlsx" || ext == ".xlsm":
		return "", &Error{Op: "open", Code: CodeBadFile, Reason: "named " + ext + " but not an Excel workbook"}
	case ext == ".xls" || ext == ".ods" || ext == ".numbers" || ext == ".pdf" || ext == ".docx":
		return "", &Error{Op: "open", Code: CodeUnsupported, Reason: ext + ": save the file as XLSX or CSV"}
	}
	return CSV, nil
}

// blank reports whether every cell is empty or spaces: Excel shows such a
// row as empty, and a CSV export writes it as ";;;;". Cells of nothing but
// separators count as empty too, so that ";;;;" is blank even when the
// file turns out to use commas.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimFunc(c, isBlankRune) != "" {
			return false
		}
	}
	return true
}

func isBlankRune(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ';' }

// trimmed returns a new slice of the cells without surrounding spaces,
// or the error of a row beyond the limits (MaxColumns, MaxCellLen).
// Empty cells at the end do not count as columns.
func trimmed(number int, cells []string) ([]string, error) {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	if n > MaxColumns {
		return nil, &Error{Op: "read row", Code: CodeTooManyCols, Row: number, Reason: fmt.Sprintf("%d columns", n)}
	}
	if len(cells) > MaxColumns {
		cells = cells[:n]
	}
	out := make([]string, len(cells))
	for i, c := range cells {
		if len(c) > MaxCellLen {
			return nil, &Error{Op: "read row", Code: CodeCellTooLong, Row: number, Reason: fmt.Sprintf("column %d: %d bytes", i+1, len(c))}
		}
		out[i] = strings.TrimSpace(c)
	}
	return out, nil
}
