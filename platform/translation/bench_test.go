package translation_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"megafon/platform/db"
	"megafon/platform/i18n"
	"megafon/platform/translation"
	"megafon/platform/web/webtest"
	"megafon/server"
)

// Arabic is the largest sheet: every plural message has six forms.
// go test ./platform/translation -run '^$' -bench . -benchmem

func arabicSheet(b *testing.B, s *webtest.Server) []byte {
	var buf bytes.Buffer
	header := translation.Header{"Nyckel", "Form", "Svenska", "Engelska", "Översättning", "Kontrollerad (x)", "Svensk version"}
	if err := translation.WriteSheet(&buf, i18n.UILang("ar"), s.App.Catalogue.Entries("ar"), header); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkExportArabic(b *testing.B) {
	s := webtest.New(b, db.SQLite, false, server.Modules()...)
	entries := s.App.Catalogue.Entries("ar")
	var sheet []byte
	for b.Loop() {
		sheet = arabicSheet(b, s)
	}
	z, err := zip.NewReader(bytes.NewReader(sheet), int64(len(sheet)))
	if err != nil {
		b.Fatal(err)
	}
	unpacked := uint64(0)
	for _, e := range z.File {
		unpacked += e.UncompressedSize64
	}
	rows, _ := translation.ReadSheet(sheet, "ar")
	b.ReportMetric(float64(len(sheet)), "bytes/sheet")
	b.ReportMetric(float64(unpacked), "unpacked-bytes")
	b.ReportMetric(float64(len(rows.Rows)), "rows")
	b.ReportMetric(float64(len(entries)), "messages")
}

func BenchmarkReadAndCheckArabic(b *testing.B) {
	s := webtest.New(b, db.SQLite, false, server.Modules()...)
	data := arabicSheet(b, s)
	ar := i18n.UILang("ar")
	for b.Loop() {
		sheet, err := translation.ReadSheet(data, "ar")
		if err != nil {
			b.Fatal(err)
		}
		if p := translation.Check(ar, sheet.Rows, s.App.Catalogue.Entries("ar")); p.Count(translation.Rejected) != 0 {
			b.Fatal("rejected rows")
		}
	}
}

// BenchmarkImportArabicOverHTTP uploads the whole Arabic sheet, every
// message changed, and saves it: one transaction of about 1,100 rows.
func BenchmarkImportArabicOverHTTP(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			s := webtest.New(b, dialect, false, server.Modules()...)
			c := s.As(admin)
			var sheets [2][]byte
			for i := range sheets {
				_, f := exportSheet(b, c, "ar")
				rows, _ := f.GetRows("ar")
				for n := 2; n <= len(rows); n++ {
					text, _ := f.GetCellValue("ar", fmt.Sprintf("E%d", n))
					f.SetCellStr("ar", fmt.Sprintf("E%d", n), text+fmt.Sprintf(" %d", i))
				}
				sheets[i] = save(b, f)
			}
			i := 0
			for b.Loop() {
				r := upload(b, c, s, "ar", "megafon-ar.xlsx", sheets[i%2])
				if r.Status != http.StatusSeeOther {
					b.Fatalf("import: %d\n%s", r.Status, webtest.Text(r.Body))
				}
				i++
			}
			b.ReportMetric(float64(len(sheets[0])), "bytes/sheet")
		})
	}
}
