package importfile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The security review of the import (issue 11): files that are not lists,
// files beyond the limits, line ends and quotes that lost residents.

func TestFilesThatAreNotListsAreRefusedByWhatTheyAre(t *testing.T) {
	t.Parallel()
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(i*7919 + i/13)
	}
	tests := []struct {
		name string
		data []byte
		file string
		want Code
	}{
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "lista.csv", CodeImage},
		{"JPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "lista.csv", CodeImage},
		{"GIF", []byte("GIF89a\x01\x00"), "lista.csv", CodeImage},
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "lista.csv", CodePDF},
		{"PDF named xlsx", []byte("%PDF-1.7\n"), "lista.xlsx", CodePDF},
		{"gzip", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), "lista.csv", CodeArchive},
		{"zip without a workbook", zipOf(t, map[string]string{"lista.csv": "Namn;Telefon\n"}), "lista.zip", CodeArchive},
		{"NUL bytes", []byte("Namn;Telefon\nAmal\x00;0701234567\n"), "lista.csv", CodeBinary},
		{"random bytes", random, "lista.csv", CodeBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, err := Open(bytes.NewReader(tt.data), tt.file)
			if err == nil {
				tab.Close()
				t.Fatalf("Open accepted it: %q", tab.Header)
			}
			if CodeOf(err) != tt.want {
				t.Errorf("%v, want %s", err, tt.want)
			}
		})
	}
	// UTF-16 has NULs and is text.
	utf16 := []byte("\xff\xfeN\x00;\x00T\x00\n\x00")
	if tab, err := Open(bytes.NewReader(utf16), "lista.txt"); err != nil {
		t.Errorf("UTF-16: %v", err)
	} else {
		tab.Close()
	}
}

func TestOldMacLineEndsAreLineEnds(t *testing.T) {
	t.Parallel()
	tab, rows := readAll(t, []byte("Namn;Telefon;Språk\rAmal;0701234567;ar\r\"Märta\rÄngström\";0701234568;so\r\rBo;0701234569;ti\r"), "lista.csv")
	if !slices.Equal(tab.Header, []string{"Namn", "Telefon", "Språk"}) {
		t.Fatalf("header %q", tab.Header)
	}
	if got := numbers(rows); !slices.Equal(got, []int{2, 3, 5}) {
		t.Fatalf("rows %v, want 2, 3 and 5", got)
	}
	if rows[1].Cells[0] != "Märta\nÄngström" {
		t.Errorf("the quoted cell: %q", rows[1].Cells[0])
	}
	if tab.Blank() != 1 {
		t.Errorf("%d blank rows, want 1", tab.Blank())
	}
}

func TestAFirstRowThatLooksLikeAResidentIsNotAHeader(t *testing.T) {
	t.Parallel()
	for _, first := range []string{"Amal Hassan;070-123 45;arabiska", "Amal Hassan;46 70 12x 45 67;ar", "Amal;+1 (555) 010 9999;ar"} {
		tab, rows := readAll(t, []byte(first+"\nBo;0701234568;so\n"), "lista.csv")
		if !tab.NoHeader || len(rows) != 2 || slices.ContainsFunc(tab.Header, func(h string) bool { return h != "" }) {
			t.Errorf("%q: header %q, %d rows", first, tab.Header, len(rows))
		}
	}
	for _, header := range []string{"Namn;Telefon;Språk", "2021;Telefon", "Kolumn 1;0;70", "Tel 1;Tel 2"} {
		if !IsHeader(strings.Split(header, ";")) {
			t.Errorf("%q is a header", header)
		}
	}
}

func TestRowsBeyondTheLimitsAreRefusedWithTheirRow(t *testing.T) {
	t.Parallel()
	wide := "Namn;Telefon\nAmal;0701234567\n" + strings.Repeat("a;", 250_000) + "\n"
	long := "Namn;Telefon\nAmal;0701234567\nBo;0701234568\n" + strings.Repeat("x", MaxCellLen+1) + ";0701234569\n"
	trailing := "Namn;Telefon" + strings.Repeat(";", 300) + "\nAmal;0701234567\n"
	for _, tt := range []struct {
		name, data string
		code       Code
		row        int
	}{
		{"250,000 columns", wide, CodeTooManyCols, 3},
		{"a header of 201 columns", strings.Repeat("k;", MaxColumns) + "k\n", CodeTooManyCols, 1},
		{"a long cell", long, CodeCellTooLong, 4},
		{"trailing separators are not columns", trailing, "", 0},
	} {
		err := readErr([]byte(tt.data))
		var e *Error
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if CodeOf(err) != tt.code || !asError(err, &e) || e.Row != tt.row {
			t.Errorf("%s: %v, want %s at row %d", tt.name, err, tt.code, tt.row)
		}
	}
}

// A stray quotation mark made the rows after it one cell: 15 residents of
// 20 vanished without a word; in a long list two residents became one and
// every later row number moved.
func TestAStrayQuoteIsRefusedWithTheRowWhereItOpened(t *testing.T) {
	t.Parallel()
	list := func(n, quoted int, closeAt int) string {
		var b strings.Builder
		b.WriteString("Namn;Telefon;Språk\n")
		for r := 2; r <= n+1; r++ {
			name := fmt.Sprintf("Person %d", r)
			if r == quoted {
				name = `"` + name
			}
			if r == closeAt {
				name += `"`
			}
			fmt.Fprintf(&b, "%s;07%08d;arabiska\n", name, r)
		}
		return b.String()
	}
	for _, tt := range []struct {
		name string
		data string
		row  int
	}{
		{"never closed, 20 rows", list(20, 6, 0), 6},
		{"closed on the next row, 1,000 rows", list(1000, 101, 102), 101},
		{"one column of numbers", "Telefon\n\"0701234567\n0701234568\n0701234569\n", 2},
	} {
		err := readErr([]byte(tt.data))
		var e *Error
		if CodeOf(err) != CodeStrayQuote || !asError(err, &e) || e.Row != tt.row {
			t.Errorf("%s: %v, want a stray quote at row %d", tt.name, err, tt.row)
		}
	}
	// Quotes as people use them still read.
	tab, rows := readAll(t, []byte("Namn;Telefon;Anteckning\n\"Anna \"Ankan\" Berg\";0701234567;\"Ring efter 17,\nhelst tisdag\"\nBo;0701234568;\n"), "lista.csv")
	if len(rows) != 2 || rows[0].Cells[0] != `Anna "Ankan" Berg` || rows[1].Number != 3 || tab.Blank() != 0 {
		t.Errorf("rows %+v", rows)
	}
}

func TestBlankRowsAreCounted(t *testing.T) {
	t.Parallel()
	tab, rows := readAll(t, []byte("\n\nNamn;Telefon\nAmal;0701234567\n\n;;\n \nBo;0701234568\n;\n"), "lista.csv")
	if len(rows) != 2 || tab.Blank() != 4 {
		t.Errorf("%d rows, %d blank; want 2 and 4", len(rows), tab.Blank())
	}
}

func readErr(data []byte) error {
	tab, err := Open(bytes.NewReader(data), "lista.csv")
	if err != nil {
		return err
	}
	defer tab.Close()
	for _, err := range tab.Rows() {
		if err != nil {
			return err
		}
	}
	return nil
}

// A workbook whose parts unpack to more than the limits is refused before
// excelize reads it.
func TestAWorkbookThatUnpacksTooFarIsRefused(t *testing.T) {
	t.Parallel()
	good := makeXLSX(t, "Kontakter", map[int][]any{1: {"Namn", "Telefon"}, 2: {"Amal", "0701234567"}})
	for _, tt := range []struct {
		part string
		size int
	}{
		{"xl/sharedStrings.xml", xlsxStringsLimit + 1},
		{"xl/styles.xml", xlsxOtherLimit + 1},
		{"xl/worksheets/sheet1.xml", xlsxSheetLimit + 1},
	} {
		data := replacePart(t, good, tt.part, tt.size)
		if _, err := Open(bytes.NewReader(data), "lista.xlsx"); CodeOf(err) != CodeTooBig {
			t.Errorf("%s of %d bytes: %v", tt.part, tt.size, err)
		}
	}
	if tab, err := Open(bytes.NewReader(good), "lista.xlsx"); err != nil {
		t.Errorf("the workbook itself: %v", err)
	} else {
		tab.Close()
	}
}

// A part that unpacks to more than it declares is refused too: archive/zip
// stops reading it at the declared size, so the limits hold for the
// actual sizes as well.
func TestAWorkbookPartLargerThanDeclaredIsRefused(t *testing.T) {
	t.Parallel()
	good := makeXLSX(t, "Kontakter", map[int][]any{1: {"Namn", "Telefon"}, 2: {"Amal", "0701234567"}})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" {
			zw.Copy(f)
		}
	}
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestSpeed)
	fw.Write(bytes.Repeat([]byte(" "), 64<<20))
	fw.Close()
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate, CompressedSize64: uint64(z.Len()), UncompressedSize64: 1000})
	w.Write(z.Bytes())
	zw.Close()
	tab, err := Open(bytes.NewReader(b.Bytes()), "lista.xlsx")
	if err == nil {
		for _, err = range tab.Rows() {
			if err != nil {
				break
			}
		}
		tab.Close()
	}
	if CodeOf(err) != CodeBadFile {
		t.Errorf("a part of 64 MB declared as 1,000 bytes: %v", err)
	}
}

// replacePart returns the workbook with part replaced by size bytes of
// spaces (which compress to almost nothing).
func replacePart(t testing.TB, workbook []byte, part string, size int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		if f.Name == part {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, _ := zw.Create(part)
	w.Write(bytes.Repeat([]byte(" "), size))
	zw.Close()
	return b.Bytes()
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, content := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(content))
	}
	zw.Close()
	return b.Bytes()
}

func asError(err error, e **Error) bool { return errors.As(err, e) }
