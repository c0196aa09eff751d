package importfile

import (
	"fmt"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"
)

// Limits on an XLSX archive, against zip bombs: the whole archive may
// unpack to 1 GiB; a sheet over 16 MiB is unpacked to a temporary file and
// streamed from there.
const (
	xlsxUnzipLimit    = 1 << 30
	xlsxUnzipXMLLimit = 16 << 20
)

func openXLSX(r io.Reader, sheet string) (*Table, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
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
	x := &xlsxRows{rows: rows}
	return &Table{
		Format: XLSX, Sheet: sheet, Sheets: sheets, next: x.next,
		close: func() error {
			err := rows.Close()
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		},
	}, nil
}

// xlsxRows numbers rows as Excel does: excelize's iterator steps through
// missing (empty) rows too, so the count of steps is the row number.
type xlsxRows struct {
	rows *excelize.Rows
	n    int
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
			continue
		}
		return Row{Number: x.n, Cells: trimmed(cells)}, nil
	}
	if err := x.rows.Error(); err != nil {
		return Row{}, &Error{Op: "read row", Code: CodeBadFile, Reason: fmt.Sprintf("after row %d", x.n), Err: err}
	}
	return Row{}, io.EOF
}
