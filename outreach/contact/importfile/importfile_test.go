package importfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readAll opens a file and returns its table and every data row.
func readAll(t testing.TB, data []byte, name string) (*Table, []Row) {
	t.Helper()
	tab, err := Open(bytes.NewReader(data), name)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	defer tab.Close()
	var rows []Row
	for row, err := range tab.Rows() {
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		rows = append(rows, row)
	}
	return tab, rows
}

func numbers(rows []Row) []int {
	var n []int
	for _, r := range rows {
		n = append(n, r.Number)
	}
	return n
}

func windows1252(t testing.TB, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16le(t testing.TB, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// messy is a list as a group might export it from Excel: Swedish header,
// semicolons, a quoted name over two lines, blank rows of both kinds
// (an empty line and a line of separators) and Windows line ends.
const messy = "Namn;Telefon;Språk;Stadsdel\r\n" + // row 1
	"Åsa Öberg;070-123 45 67;arabiska, somaliska;Rinkeby\r\n" + // row 2
	"\r\n" + // row 3: empty line
	";;;\r\n" + // row 4: a row of empty cells
	"\"Märta\r\nÄngström\";\"0046 70 123 45 68\";\"Persiska; dari\";Tensta\r\n" + // row 5, over two lines
	"Bo;saknas;klingon;Kista\r\n" + // row 6
	"  ;  ;  ;  \r\n" + // row 7: spaces only
	"Cia;+46 (0)70 1234569;;\r\n" // row 8

func TestCSVReadsMessyFilesAsExcelShowsThem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		data     []byte
		file     string
		encoding string
		sep      rune
	}{
		{"UTF-8 with semicolons", []byte(messy), "lista.csv", "utf-8", ';'},
		{"UTF-8 with BOM", append([]byte("\xef\xbb\xbf"), messy...), "lista.csv", "utf-8-bom", ';'},
		{"Windows-1252", windows1252(t, messy), "lista.csv", "windows-1252", ';'},
		{"commas", []byte(strings.NewReplacer(";", ",", "arabiska, somaliska", "arabiska och somaliska", "Persiska, dari", "Persiska/dari").Replace(messy)), "lista.csv", "utf-8", ','},
		{"Unix line ends", []byte(strings.ReplaceAll(messy, "\r\n", "\n")), "lista.csv", "utf-8", ';'},
		{"UTF-16 with tabs (Excel's Unicode text)", utf16le(t, strings.ReplaceAll(messy, ";", "\t")), "lista.txt", "utf-16le", '\t'},
		{"no file name", []byte(messy), "", "utf-8", ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, rows := readAll(t, tt.data, tt.file)
			if tab.Format != CSV || tab.Encoding != tt.encoding || tab.Separator != tt.sep {
				t.Errorf("found %s, %s, %q; want csv, %s, %q", tab.Format, tab.Encoding, tab.Separator, tt.encoding, tt.sep)
			}
			if want := []string{"Namn", "Telefon", "Språk", "Stadsdel"}; !slices.Equal(tab.Header, want) || tab.HeaderRow != 1 {
				t.Errorf("header = %q at row %d, want %q at row 1", tab.Header, tab.HeaderRow, want)
			}
			if got, want := numbers(rows), []int{2, 5, 6, 8}; !slices.Equal(got, want) {
				t.Fatalf("row numbers = %v, want %v", got, want)
			}
			if got := rows[0].Cells[0]; got != "Åsa Öberg" {
				t.Errorf("first name = %q, want Åsa Öberg", got)
			}
			if got := rows[1].Cells[0]; got != "Märta\nÄngström" {
				t.Errorf("quoted name over two lines = %q", got)
			}

			m := Guess(tab.Header)
			var good []Candidate
			var problems []Problem
			for _, row := range rows {
				c, p := Apply(m, row)
				if len(p) == 0 {
					good = append(good, c)
				}
				problems = append(problems, p...)
			}
			if len(good) != 3 || good[0].Phone != "+46701234567" || good[1].Phone != "+46701234568" || good[2].Phone != "+46701234569" {
				t.Errorf("good rows = %+v", good)
			}
			if !slices.Equal(good[0].Languages, []string{"ar", "so"}) || !slices.Equal(good[1].Languages, []string{"fa", "prs"}) {
				t.Errorf("languages = %q and %q", good[0].Languages, good[1].Languages)
			}
			if good[1].Name != "Märta Ängström" || good[1].District != "Tensta" {
				t.Errorf("second contact = %+v", good[1])
			}
			want := []Problem{
				{Row: 6, Column: 1, Field: FieldPhone, Code: CodeBadNumber, Reason: "not_a_number"},
				{Row: 6, Column: 2, Field: FieldLanguages, Code: CodeUnknownLanguage, Reason: "klingon"},
			}
			if !slices.Equal(problems, want) {
				t.Errorf("problems = %v, want %v", problems, want)
			}
		})
	}
}

func TestCSVRowNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		data       string
		headerRow  int
		rowNumbers []int
	}{
		{"plain", "a,b\n1,2\n3,4\n", 1, []int{2, 3}},
		{"no final newline", "a,b\n1,2\n3,4", 1, []int{2, 3}},
		{"blank lines before the header", "\n\n a , b \n1,2\n", 3, []int{4}},
		{"blank lines at the end", "a,b\n1,2\n\n\n", 1, []int{2}},
		{"several quoted newlines", "a,b\n\"x\ny\nz\",2\n3,\"p\n\nq\"\n5,6\n", 1, []int{2, 3, 4}},
		{"blank line after a quoted newline", "a,b\n\"x\ny\",2\n\n5,6\n", 1, []int{2, 4}},
		{"rows of separators", "a;b;c\n;;\n1;2;3\n;;\n;;\n4;5;6\n", 1, []int{3, 6}},
		{"bare quotes", "a,b\nAnna \"Ankan\" Berg,1\n2,3\n", 1, []int{2, 3}},
		{"ragged rows", "a,b,c\n1\n1,2,3,4,5\n", 1, []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, rows := readAll(t, []byte(tt.data), "f.csv")
			if tab.HeaderRow != tt.headerRow {
				t.Errorf("header row = %d, want %d", tab.HeaderRow, tt.headerRow)
			}
			if got := numbers(rows); !slices.Equal(got, tt.rowNumbers) {
				t.Errorf("row numbers = %v, want %v", got, tt.rowNumbers)
			}
		})
	}
}

func TestSniffSeparator(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want rune
	}{
		{"semicolons", "Namn;Telefon\nA;070\n", ';'},
		{"commas", "Name,Phone\nA,070\n", ','},
		{"tabs", "Name\tPhone\nA\t070\n", '\t'},
		{"one column", "Telefon\n0701234567\n", ','},
		{"a comma inside a semicolon file", "Namn;Telefon;Språk\nA;070;arabiska, somaliska\nB;070;so\n", ';'},
		{"semicolons inside quotes of a comma file", "Name,Phone,Note\n\"a;b;c;d\",070,x\nB,070,y\n", ','},
		{"rows agree, header has more commas", "Namn (för, efter);Telefon;Språk\nA;1;2\nB;3;4\n", ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := sniffSeparator([]byte(tt.data), true); got != tt.want {
				t.Errorf("sniffSeparator = %q, want %q", got, tt.want)
			}
		})
	}
}

// A UTF-8 file with one stray Windows-1252 byte deep inside, past the part
// that decides the encoding, still reads "ö" there.
func TestStrayWindows1252ByteInAUTF8File(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	b.WriteString("Namn,Telefon\n")
	for b.Len() < 2*sniffSize {
		b.WriteString("Åsa,0701234567\n")
	}
	b.WriteString("Sj\xf6berg,0701234568\n")
	tab, rows := readAll(t, b.Bytes(), "f.csv")
	if tab.Encoding != "utf-8" {
		t.Fatalf("encoding = %s", tab.Encoding)
	}
	if rows[0].Cells[0] != "Åsa" || rows[len(rows)-1].Cells[0] != "Sjöberg" {
		t.Fatalf("first %q, last %q", rows[0].Cells[0], rows[len(rows)-1].Cells[0])
	}
}

func TestOpenRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		file string
		want Code
	}{
		{"empty", nil, "f.csv", CodeEmptyFile},
		{"only blank rows", []byte("\n;;;\n  \n"), "f.csv", CodeEmptyFile},
		{"only a BOM", []byte("\xef\xbb\xbf"), "f.csv", CodeEmptyFile},
		{"old Excel", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "lista.xls", CodeUnsupported},
		{"xls by name", []byte("a,b\n"), "lista.xls", CodeUnsupported},
		{"OpenDocument", []byte("PK\x03\x04rest"), "lista.ods", CodeUnsupported},
		{"xlsx that is not", []byte("Namn;Telefon\n"), "lista.xlsx", CodeBadFile},
		{"damaged zip", []byte("PK\x03\x04not really a zip"), "lista.xlsx", CodeBadFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, err := Open(bytes.NewReader(tt.data), tt.file)
			if err == nil {
				tab.Close()
				t.Fatalf("Open accepted it: %+v", tab)
			}
			if CodeOf(err) != tt.want || !errors.Is(err, &Error{Code: tt.want}) {
				t.Fatalf("Open error = %v, want %s", err, tt.want)
			}
		})
	}
}

// makeXLSX builds a workbook in memory: a cover sheet first, then the
// contacts given as rows of cell values keyed by their Excel row number.
func makeXLSX(t testing.TB, sheet string, rows map[int][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Kontakter")
	if sheet != "Kontakter" {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
	}
	for n, cells := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	data := makeXLSX(t, "Kontakter", map[int][]any{
		1: {"Förnamn", "Efternamn", "Mobil", "Språk", "Stadsdel", "Samtycke"},
		2: {"Åsa", "Öberg", "070-123 45 67", "ar", "Rinkeby", "Muntligt 2021-03-01"},
		// row 3 missing: an empty row in Excel
		4: {"", "", "", "", "", ""},
		5: {"Märta", "Ängström", 46701234568, "Somaliska", "Tensta", ""}, // a number cell, as Excel stores it
		6: {"Bo", "", "12", "", "", ""},
		7: {"", "", "", "", "", "note without a number"},
	})
	tab, rows := readAll(t, data, "kontakter.xlsx")
	if tab.Format != XLSX || tab.Sheet != "Kontakter" || tab.HeaderRow != 1 {
		t.Errorf("table = %s sheet %q header row %d", tab.Format, tab.Sheet, tab.HeaderRow)
	}
	if got, want := numbers(rows), []int{2, 5, 6, 7}; !slices.Equal(got, want) {
		t.Fatalf("row numbers = %v, want %v", got, want)
	}
	m := Guess(tab.Header)
	if want := []Field{FieldName, FieldName, FieldPhone, FieldLanguages, FieldDistrict, FieldConsent}; !slices.Equal(m.Columns, want) {
		t.Fatalf("Guess = %q, want %q", m.Columns, want)
	}
	c, p := Apply(m, rows[0])
	if len(p) != 0 || c.Name != "Åsa Öberg" || c.Phone != "+46701234567" || c.Consent != "Muntligt 2021-03-01" {
		t.Errorf("row 2 = %+v, %v", c, p)
	}
	c, p = Apply(m, rows[1])
	if len(p) != 0 || c.Phone != "+46701234568" || !slices.Equal(c.Languages, []string{"so"}) {
		t.Errorf("row 5 (a number cell) = %+v, %v", c, p)
	}
	_, p = Apply(m, rows[2])
	if len(p) != 1 || p[0].Row != 6 || p[0].Code != CodeBadNumber || p[0].Reason != "too_short" {
		t.Errorf("row 6 problems = %v", p)
	}
	_, p = Apply(m, rows[3])
	if len(p) != 1 || p[0].Row != 7 || p[0].Code != CodeMissingPhone {
		t.Errorf("row 7 problems = %v", p)
	}
}

func TestXLSXNamedSheet(t *testing.T) {
	t.Parallel()
	data := makeXLSX(t, "Tensta", map[int][]any{1: {"Telefon"}, 2: {"0701234567"}})
	tab, err := OpenWith(bytes.NewReader(data), "f.xlsx", Options{Sheet: "Tensta"})
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	if !slices.Equal(tab.Sheets, []string{"Kontakter", "Tensta"}) || !slices.Equal(tab.Header, []string{"Telefon"}) {
		t.Fatalf("sheets %q, header %q", tab.Sheets, tab.Header)
	}
	if _, err := OpenWith(bytes.NewReader(data), "f.xlsx", Options{Sheet: "Kista"}); CodeOf(err) != CodeUnknownSheet {
		t.Fatalf("unknown sheet: %v", err)
	}
	// The first sheet is empty: that is what a person sees first.
	if _, err := Open(bytes.NewReader(data), "f.xlsx"); CodeOf(err) != CodeEmptyFile {
		t.Fatalf("empty first sheet: %v", err)
	}
}

func TestGuess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header []string
		want   []Field
	}{
		{[]string{"Namn", "Telefon", "Språk", "Stadsdel"}, []Field{FieldName, FieldPhone, FieldLanguages, FieldDistrict}},
		{[]string{"Name", "Phone", "Language", "District", "Consent"}, []Field{FieldName, FieldPhone, FieldLanguages, FieldDistrict, FieldConsent}},
		{[]string{"Nr", "Förnamn", "Efternamn", "Mobilnummer", "Tfn"}, []Field{FieldNone, FieldName, FieldName, FieldPhone, FieldPhone}},
		{[]string{"Stadsdelsnamn", "TELEFONNUMMER", "Modersmål", "Rättslig grund"}, []Field{FieldDistrict, FieldPhone, FieldLanguages, FieldConsent}},
		{[]string{"Full name", "Mobile phone", "Preferred languages", "Neighbourhood", "Lawful basis"}, []Field{FieldName, FieldPhone, FieldLanguages, FieldDistrict, FieldConsent}},
		{[]string{"E-post", "Födelseår", "", "Tel."}, []Field{FieldNone, FieldNone, FieldNone, FieldPhone}},
		{[]string{"SPRAK", "Omrade"}, []Field{FieldLanguages, FieldDistrict}},
		{nil, []Field{}},
	}
	for _, tt := range tests {
		if got := Guess(tt.header); !slices.Equal(got.Columns, tt.want) {
			t.Errorf("Guess(%q) = %q, want %q", tt.header, got.Columns, tt.want)
		}
	}
}

func TestParseLanguages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		tags    []string
		unknown []string
	}{
		{"", nil, nil},
		{"arabiska", []string{"ar"}, nil},
		{"Arabiska, Somaliska", []string{"ar", "so"}, nil},
		{"ar;so", []string{"ar", "so"}, nil},
		{"ar so ti", []string{"ar", "so", "ti"}, nil},
		{"Somali and English", []string{"so", "en"}, nil},
		{"arabiska och svenska", []string{"ar", "sv"}, nil},
		{"Bosniska/Kroatiska/Serbiska", []string{"bs", "hr", "sr"}, nil},
		{"Persiska (dari)", []string{"fa", "prs"}, nil},
		{"Northern Sami", []string{"se"}, nil},
		{"SPANSKA", []string{"es"}, nil},
		{"Türkçe", []string{"tr"}, nil},
		{"العربية", []string{"ar"}, nil},
		{"fa-AF", []string{"fa-AF"}, nil},
		{"sv_SE", []string{"sv-SE"}, nil},
		{"tir", []string{"ti"}, nil},
		{"ar, arabiska, Arabic", []string{"ar"}, nil},
		{"klingon", nil, []string{"klingon"}},
		{"arabiska, xx", []string{"ar"}, []string{"xx"}},
		{"und", nil, []string{"und"}},
		{"x-private", nil, []string{"x-private"}},
		{"svenska?", nil, []string{"svenska?"}},
	}
	for _, tt := range tests {
		tags, unknown := ParseLanguages(tt.in)
		if !slices.Equal(tags, tt.tags) || !slices.Equal(unknown, tt.unknown) {
			t.Errorf("ParseLanguages(%q) = %q, %q; want %q, %q", tt.in, tags, unknown, tt.tags, tt.unknown)
		}
	}
}

// Every name in the table maps to a tag the language package knows, so a
// typo in the table cannot put an unknown tag in the database.
func TestLanguageNamesAreKnownTags(t *testing.T) {
	t.Parallel()
	for name, tag := range languageNames {
		if got, ok := lookupLanguage(tag); !ok || got != tag {
			t.Errorf("%q maps to %q, which parses as %q, %v", name, tag, got, ok)
		}
		if name != foldAccents(strings.ToLower(name)) {
			t.Errorf("key %q is not folded", name)
		}
	}
}

func TestApply(t *testing.T) {
	t.Parallel()
	m := Mapping{Columns: []Field{FieldPhone, FieldPhone, FieldName, FieldLanguages, FieldDistrict, FieldNone}}
	tests := []struct {
		name      string
		cells     []string
		want      Candidate
		wantCodes []Code
	}{
		{"all there", []string{"070-123 45 67", "", "Anna  Berg", "so", "Kista", "ignored"},
			Candidate{Row: 9, Phone: "+46701234567", Name: "Anna Berg", Languages: []string{"so"}, District: "Kista"}, nil},
		{"the second phone column when the first is empty", []string{"", "08-123 456 78", "", "", ""},
			Candidate{Row: 9, Phone: "+46812345678"}, nil},
		{"the second phone column when the first is bad", []string{"123", "0701234567"},
			Candidate{Row: 9, Phone: "+46701234567"}, nil},
		{"no phone at all", []string{"", "", "Anna"},
			Candidate{Row: 9, Name: "Anna"}, []Code{CodeMissingPhone}},
		{"a short row", []string{"0701234567"},
			Candidate{Row: 9, Phone: "+46701234567"}, nil},
		{"bad number and unknown languages", []string{"070-12", "", "", "arabiska, foo, zz"},
			Candidate{Row: 9, Languages: []string{"ar"}}, []Code{CodeBadNumber, CodeUnknownLanguage, CodeUnknownLanguage}},
		{"a runaway cell", []string{"0701234567", "", strings.Repeat("x", 2000)},
			Candidate{Row: 9}, []Code{CodeTooLong}},
		{"a NUL in a name refuses the row", []string{"0701239877", "", "Bob\x00Nul", "sv"},
			Candidate{Row: 9}, []Code{CodeControl}},
		{"an escape in a district refuses the row", []string{"0701239877", "", "Bob", "sv", "Kista\x1b[31m"},
			Candidate{Row: 9}, []Code{CodeControl}},
		{"an RLO is dropped, the row kept", []string{"0701239877", "", "Bob \u202eNul", "sv", "Ki\u2067sta"},
			Candidate{Row: 9, Phone: "+46701239877", Name: "Bob Nul", Languages: []string{"sv"}, District: "Kista"}, nil},
		{"an unmapped column is not read", []string{"0701239877", "", "Bob", "sv", "Kista", "\x00"},
			Candidate{Row: 9, Phone: "+46701239877", Name: "Bob", Languages: []string{"sv"}, District: "Kista"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, problems := Apply(m, Row{Number: 9, Cells: tt.cells})
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("candidate = %+v, want %+v", got, tt.want)
			}
			var codes []Code
			for _, p := range problems {
				if p.Row != 9 {
					t.Errorf("problem %v has the wrong row", p)
				}
				codes = append(codes, p.Code)
			}
			if !slices.Equal(codes, tt.wantCodes) {
				t.Errorf("problems = %v, want codes %v", problems, tt.wantCodes)
			}
		})
	}
	if err := (Mapping{Columns: []Field{FieldName}}).Validate(); CodeOf(err) != CodeNoPhoneColumn {
		t.Errorf("a mapping without phone: %v", err)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("Validate = %v", err)
	}
}

// bigCSV writes n contacts in the shape of a real export.
func bigCSV(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 60)
	b.WriteString("Namn;Telefon;Språk;Stadsdel\r\n")
	langs := []string{"arabiska", "somaliska", "ti", "fa, prs", "Turkish"}
	for i := range n {
		fmt.Fprintf(&b, "Person %d;070-%03d %02d %02d;%s;Rinkeby\r\n", i, i/10000, i/100%100, i%100, langs[i%len(langs)])
	}
	return b.Bytes()
}

func TestHundredThousandRows(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows")
	}
	t.Parallel()
	const n = 100_000
	tab, err := Open(bytes.NewReader(bigCSV(n)), "big.csv")
	if err != nil {
		t.Fatal(err)
	}
	m := Guess(tab.Header)
	count, good, last := 0, 0, 0
	for row, err := range tab.Rows() {
		if err != nil {
			t.Fatal(err)
		}
		count++
		if _, p := Apply(m, row); len(p) == 0 {
			good++
		}
		last = row.Number
	}
	if count != n || good != n || last != n+1 {
		t.Fatalf("read %d rows (%d good), last row %d; want %d, all good, last %d", count, good, last, n, n+1)
	}
}

func BenchmarkImportCSV100k(b *testing.B) {
	data := bigCSV(100_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		tab, err := Open(bytes.NewReader(data), "big.csv")
		if err != nil {
			b.Fatal(err)
		}
		m := Guess(tab.Header)
		for row, err := range tab.Rows() {
			if err != nil {
				b.Fatal(err)
			}
			Apply(m, row)
		}
	}
}

func BenchmarkImportXLSX100k(b *testing.B) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"Namn", "Telefon", "Språk", "Stadsdel"})
	for i := range 100_000 {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{fmt.Sprintf("Person %d", i), fmt.Sprintf("070-%03d %02d %02d", i/10000, i/100%100, i%100), "arabiska", "Rinkeby"})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		tab, err := Open(bytes.NewReader(data), "big.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		m := Guess(tab.Header)
		n := 0
		for row, err := range tab.Rows() {
			if err != nil {
				b.Fatal(err)
			}
			Apply(m, row)
			n++
		}
		tab.Close()
		if n != 100_000 {
			b.Fatalf("%d rows", n)
		}
	}
}

// FuzzImport feeds the CSV reader anything: it never panics, row numbers
// only grow and never repeat the header's, and every data row is either a
// candidate or reported with at least one problem that names it.
func FuzzImport(f *testing.F) {
	f.Add([]byte(messy))
	f.Add(windows1252(f, messy))
	f.Add(utf16le(f, messy))
	f.Add([]byte("Telefon\n\"0701234567\n"))
	f.Add([]byte("a,\"b\n\n\"\"c\",d\r\n\n1,2\r"))
	f.Add([]byte("\xef\xbb\xbfPhone;Name\n;\n+46 8 123 456 78;Å\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Open(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if CodeOf(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		defer tab.Close()
		// Phone in the first column, the rest as names, languages and
		// districts in turn, so that every kind of parsing runs.
		m := Mapping{Columns: make([]Field, max(len(tab.Header), 4))}
		for i := range m.Columns {
			m.Columns[i] = Fields[i%len(Fields)]
		}
		prev := tab.HeaderRow
		for {
			row, err := tab.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				// A file may still be refused part-way, for a reason the
				// person can act on.
				if c := CodeOf(err); c != CodeStrayQuote && c != CodeTooManyCols && c != CodeCellTooLong {
					t.Fatalf("Next: %v", err)
				}
				return
			}
			if row.Number <= prev {
				t.Fatalf("row %d after row %d", row.Number, prev)
			}
			prev = row.Number
			if blank(row.Cells) {
				t.Fatalf("blank row %d returned", row.Number)
			}
			c, problems := Apply(m, row)
			if len(problems) == 0 && c.Phone == "" {
				t.Fatalf("row %d is neither a contact nor reported: %+v", row.Number, c)
			}
			for _, p := range problems {
				if p.Row != row.Number || p.Code == "" {
					t.Fatalf("problem %+v does not name row %d", p, row.Number)
				}
			}
		}
	})
}

// A list copied out of a spreadsheet without its header row: the first
// row is a resident, not column names.
func TestAFileWithoutAHeaderRow(t *testing.T) {
	t.Parallel()
	tab, rows := readAll(t, []byte("\n070-123 45 67;arabiska;Dalhem\n0701234568;so, sv;Söder\n"), "lista.csv")
	if !tab.NoHeader || tab.HeaderRow != 1 || !slices.Equal(tab.Header, []string{"", "", ""}) {
		t.Fatalf("header %q at row %d, no header %v", tab.Header, tab.HeaderRow, tab.NoHeader)
	}
	if got := numbers(rows); !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("rows %v, want 2 and 3", got)
	}
	if m := GuessFromRow(rows[0].Cells); !slices.Equal(m.Columns, []Field{FieldPhone, FieldLanguages, FieldNone}) {
		t.Errorf("guess %v", m.Columns)
	}
	for _, header := range []string{"Namn;Telefon;Språk\n", "2021;Telefon\n", "Kolumn 1;0;70\n"} {
		if tab, _ := readAll(t, []byte(header+"Amal;0701234567;ar\n"), "lista.csv"); tab.NoHeader {
			t.Errorf("%q taken for data", header)
		}
	}
}
