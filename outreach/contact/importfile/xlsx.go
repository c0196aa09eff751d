package importfile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on what an XLSX archive may unpack to, against zip bombs: a
// 1 MB workbook whose shared strings unpacked to a gigabyte took the
// server to 6 GB. The sizes the archive declares are checked before
// excelize reads it, and its XML parts are unpacked once to check that
// they unpack to what they declare (archive/zip stops at the declared
// size). A list of 100,000 residents has a sheet of about
// 20 MB and shared strings of a few.
const (
	xlsxTotalLimit   = 64 << 20 // every entry together
	xlsxSheetLimit   = 64 << 20 // one worksheet (excelize streams a large one from a temporary file)
	xlsxStringsLimit = 16 << 20 // the shared strings, which excelize holds in memory
	xlsxOtherLimit   = 4 << 20  // any other XML part (styles, workbook, relationships)
	xlsxUnzipXML     = 16 << 20 // excelize: larger sheets go to a temporary file
)

func openXLSX(r io.Reader, sheet string) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{Op: "open", Code: CodeReadFailed, Err: err}
	}
	if err := checkArchive(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxTotalLimit, UnzipXMLSizeLimit: xlsxUnzipXML})
	if err != nil {
		return nil, &Error{Op: "open", Code: CodeBadFile, Reason: "not a readable Excel workbook", Err: err}
	}
	sheets := f.GetSheetList()
	switch {
	case len(sheets) == 0:
		f.Close()
		return nil, &Error{Op: "open", Code: CodeEmptyFile, Reason: "no sheets"}
	case sheet == "":
		sheet = sheets[0]
	case !slices.Contains(sheets, sheet):
		f.Close()
		return nil, &Error{Op: "open", Code: CodeUnknownSheet, Reason: fmt.Sprintf("no sheet %q among %q", sheet, sheets)}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, &Error{Op: "open", Code: CodeBadFile, Reason: "sheet " + sheet, Err: err}
	}
	t := &Table{
		Format: XLSX, Sheet: sheet, Sheets: sheets,
		close: func() error {
			err := rows.Close()
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		},
	}
	x := &xlsxRows{rows: rows, blank: &t.blank}
	t.next = x.next
	return t, nil
}

// checkArchive refuses a zip that is not a workbook, and a workbook whose
// entries declare more than the limits.
func checkArchive(data []byte) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return &Error{Op: "open", Code: CodeBadFile, Reason: "not a readable zip archive", Err: err}
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
			limit = xlsxOtherLimit
		case strings.HasPrefix(name, "xl/worksheets/") && path.Ext(name) == ".xml":
			limit = xlsxSheetLimit
		case name == "xl/sharedstrings.xml":
			limit = xlsxStringsLimit
		case path.Ext(name) == ".xml" || path.Ext(name) == ".rels":
			limit = xlsxOtherLimit
		}
		if limit > 0 && size > limit || total > xlsxTotalLimit {
			return &Error{Op: "open", Code: CodeTooBig, Reason: fmt.Sprintf("%s unpacks to %d bytes (%d in all so far)", e.Name, size, total)}
		}
		if limit > 0 {
			if err := unpacksAsDeclared(e); err != nil {
				return &Error{Op: "open", Code: CodeBadFile, Reason: e.Name + " does not unpack to its declared size", Err: err}
			}
		}
	}
	if !workbook {
		return &Error{Op: "open", Code: CodeArchive, Reason: "a zip archive without a workbook"}
	}
	return nil
}

// unpacksAsDeclared unpacks an entry to nowhere: archive/zip fails when it
// unpacks to more than it declares, or its checksum is wrong. (excelize
// would read such a part cut short without a word.)
func unpacksAsDeclared(e *zip.File) error {
	rc, err := e.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// xlsxRows numbers rows as Excel does: excelize's iterator steps through
// missing (empty) rows too, so the count of steps is the row number.
type xlsxRows struct {
	rows  *excelize.Rows
	n     int
	blank *int
}

func (x *xlsxRows) next() (Row, error) {
	for x.rows.Next() {
		x.n++
		// Formatted values, as Excel shows them: a number formatted
		// "000 000 00 00" keeps its leading zero.
		cells, err := x.rows.Columns()
		if err != nil {
			return Row{}, &Error{Op: "read row", Code: CodeBadFile, Reason: fmt.Sprintf("row %d", x.n), Err: err}
		}
		if blank(cells) {
			*x.blank++
			continue
		}
		cells, err = trimmed(x.n, cells)
		if err != nil {
			return Row{}, err
		}
		return Row{Number: x.n, Cells: cells}, nil
	}
	if err := x.rows.Error(); err != nil {
		return Row{}, &Error{Op: "read row", Code: CodeBadFile, Reason: fmt.Sprintf("after row %d", x.n), Err: err}
	}
	return Row{}, io.EOF
}
