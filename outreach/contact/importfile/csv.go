package importfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

func openCSV(br *bufio.Reader) (*Table, error) {
	text, encoding, err := decodeText(br)
	if err != nil {
		return nil, err
	}
	// Old Mac Excel ends lines with a lone CR, which encoding/csv keeps
	// inside the cell: the whole file was one row.
	tr := bufio.NewReaderSize(transform.NewReader(text, lineEnds{}), sniffSize)
	sample, err := tr.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &Error{Op: "open", Code: CodeReadFailed, Err: err}
	}
	sep := sniffSeparator(sample, err == io.EOF)

	cr := csv.NewReader(tr)
	cr.Comma = sep
	cr.LazyQuotes = true // "Anna "Ankan" Berg" is common in files made by hand
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	t := &Table{Format: CSV, Encoding: encoding, Separator: sep}
	rows := &csvRows{r: cr, sep: string(sep), blank: &t.blank}
	t.next = rows.next
	return t, nil
}

// csvRows counts rows as Excel does. encoding/csv skips empty lines and
// counts physical lines, so a quoted field with a newline takes two lines
// but is one row; the row number is the number of records before, plus
// the empty lines skipped.
type csvRows struct {
	r       *csv.Reader
	sep     string
	cols    int  // the cells of the first non-blank record
	row     int  // the row number of the last record
	endLine int  // the physical line the last record ended on
	blank   *int // blank rows (empty lines and records of empty cells)
}

func (c *csvRows) next() (Row, error) {
	for {
		record, err := c.r.Read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			// With LazyQuotes and any field count, only a failing reader
			// is left.
			return Row{}, &Error{Op: "read row", Code: CodeReadFailed, Err: err}
		}
		start, _ := c.r.FieldPos(0)
		skipped := max(0, start-c.endLine-1)
		c.row += 1 + skipped
		*c.blank += skipped
		c.endLine = start
		for _, f := range record {
			c.endLine += strings.Count(f, "\n")
		}
		if blank(record) {
			*c.blank++
			continue
		}
		if c.cols == 0 {
			c.cols = len(record)
		}
		if err := c.strayQuote(record); err != nil {
			return Row{}, err
		}
		cells, err := trimmed(c.row, record)
		if err != nil {
			return Row{}, err
		}
		return Row{Number: c.row, Cells: cells}, nil
	}
}

// maxCellLines is the most lines a quoted cell may span; an address or a
// note has a few.
const maxCellLines = 10

// strayQuote refuses a record in which a quotation mark swallowed rows:
// with LazyQuotes, a cell that starts with " runs to the next " that ends
// a cell, and the rows between become its text (15 of 20 residents were
// lost so, and the import said "5 of 5 rows"). A quoted cell over more
// than maxCellLines lines, or with a line that looks like a row of its
// own (the separators of a whole row, or a phone number's worth of
// digits), is such a quote. The error names the row where it opened.
func (c *csvRows) strayQuote(record []string) error {
	for _, f := range record {
		if !strings.Contains(f, "\n") {
			continue
		}
		lines := strings.Split(f, "\n")
		suspicious := len(lines) > maxCellLines
		for _, l := range lines {
			if c.cols > 1 && strings.Count(l, c.sep) >= c.cols-1 || digits(l) >= 8 {
				suspicious = true
			}
		}
		if suspicious {
			return &Error{Op: "read row", Code: CodeStrayQuote, Row: c.row, Reason: fmt.Sprintf("a quoted cell over %d lines", len(lines))}
		}
	}
	return nil
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// lineEnds reads a lone CR as a line end (LF); CR LF passes as it is.
type lineEnds struct{ transform.NopResetter }

func (lineEnds) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if nDst >= len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		b := src[nSrc]
		if b == '\r' {
			switch {
			case nSrc+1 < len(src):
				if src[nSrc+1] != '\n' {
					b = '\n'
				}
			case !atEOF:
				return nDst, nSrc, transform.ErrShortSrc
			default:
				b = '\n'
			}
		}
		dst[nDst] = b
		nDst++
		nSrc++
	}
	return nDst, nSrc, nil
}

// sniffText refuses bytes that are not text, before they become a draft
// of garbage rows: a NUL, or more than 1% of other control characters (a
// text file has tab, CR and LF). UTF-16 files, which have NULs, start
// with a byte order mark.
func sniffText(br *bufio.Reader) error {
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return &Error{Op: "open", Code: CodeReadFailed, Err: err}
	}
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return nil
	}
	control := 0
	for _, b := range head {
		if b == 0 {
			return &Error{Op: "open", Code: CodeBinary, Reason: "a NUL byte"}
		}
		if b < 0x20 && b != '\t' && b != '\r' && b != '\n' || b == 0x7f {
			control++
		}
	}
	if control > len(head)/100 {
		return &Error{Op: "open", Code: CodeBinary, Reason: fmt.Sprintf("%d control bytes in %d", control, len(head))}
	}
	return nil
}

// magics are the starts of files that are often renamed, or mistaken,
// for a list; detectFormat refuses them by what they are.
var magics = []struct {
	prefix, what string
	code         Code
}{
	{"\x89PNG\r\n\x1a\n", "PNG", CodeImage},
	{"\xff\xd8\xff", "JPEG", CodeImage},
	{"GIF87a", "GIF", CodeImage},
	{"GIF89a", "GIF", CodeImage},
	{"%PDF-", "PDF", CodePDF},
	{"\x1f\x8b", "gzip", CodeArchive},
	{"PK\x05\x06", "empty zip", CodeArchive},
	{"Rar!\x1a\x07", "rar", CodeArchive},
	{"7z\xbc\xaf\x27\x1c", "7z", CodeArchive},
}

// decodeText returns the file as UTF-8 and the encoding it was in. A byte
// order mark decides; without one, a file whose start is not valid UTF-8 is
// Windows-1252 (what Excel on a Swedish Windows saves as "CSV"). A UTF-8
// file with a stray invalid byte further on reads that byte as
// Windows-1252 too, rather than as a replacement character.
func decodeText(br *bufio.Reader) (io.Reader, string, error) {
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", &Error{Op: "open", Code: CodeReadFailed, Err: err}
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		return transform.NewReader(br, utf8Or1252{}), "utf-8-bom", nil
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		// Excel's "Unicode text": UTF-16 with tabs.
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), "utf-16le", nil
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), "utf-16be", nil
	case validUTF8Prefix(head, err == io.EOF):
		return transform.NewReader(br, utf8Or1252{}), "utf-8", nil
	default:
		return transform.NewReader(br, charmap.Windows1252.NewDecoder()), "windows-1252", nil
	}
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut at
// the end of the sample unless b is the whole file.
func validUTF8Prefix(b []byte, whole bool) bool {
	if !whole {
		for i := 0; i < utf8.UTFMax && i < len(b); i++ {
			if utf8.RuneStart(b[len(b)-1-i]) {
				if !utf8.FullRune(b[len(b)-1-i:]) {
					b = b[:len(b)-1-i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// utf8Or1252 passes valid UTF-8 through and reads every byte that is not
// part of valid UTF-8 as Windows-1252.
type utf8Or1252 struct{ transform.NopResetter }

func (utf8Or1252) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		if b < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		if !atEOF && !utf8.FullRune(src[nSrc:]) {
			return nDst, nSrc, transform.ErrShortSrc
		}
		r, size := utf8.DecodeRune(src[nSrc:])
		if r == utf8.RuneError && size == 1 {
			r = charmap.Windows1252.DecodeByte(b)
		}
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}

// separators are the candidates, in the order that wins a tie: Swedish
// Excel writes ";" because "," is the decimal separator.
var separators = []rune{';', ',', '\t'}

// sniffSeparator picks the separator that splits the first row into the
// most columns and the following rows into as many; a file of one column
// is read with ",". Only whole lines of the sample are used, unless it is
// the whole file.
func sniffSeparator(sample []byte, whole bool) rune {
	if !whole {
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		}
	}
	best, bestAgree, bestCols := ',', -1, 1
	for _, sep := range separators {
		r := csv.NewReader(bytes.NewReader(sample))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = sep, true, -1
		cols, agree := 0, 0
		for n := 0; n < 20; {
			record, err := r.Read()
			if err != nil {
				break
			}
			if blank(record) {
				continue
			}
			if n == 0 {
				cols = len(record)
			} else if len(record) == cols {
				agree++
			}
			n++
		}
		if cols > 1 && (agree > bestAgree || agree == bestAgree && cols > bestCols) {
			best, bestAgree, bestCols = sep, agree, cols
		}
	}
	return best
}
