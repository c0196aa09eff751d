package contact_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"megafon/platform/db"
)

// bombSize is what the zip bomb's shared strings unpack to: under the
// gigabyte that excelize was allowed before, so that it was read.
const bombSize = 900 << 20

// Item 4: a 1 MB workbook that unpacks to a gigabyte, and a 500 KB CSV of
// 250,000 columns, are refused through the upload form with the process's
// memory staying under 300 MB (they took it to 6.3 GB, and made a 102 MB
// page).
func TestAZipBombAndAWideFileAreRefusedInLittleMemory(t *testing.T) {
	checkBomb(t, zipBomb(t, 4<<20), 4<<20)
	x := newSite(t, db.SQLite)
	c := x.s.As(lead)
	bomb := zipBomb(t, bombSize)
	wide := []byte("Namn;Telefon;Språk\nAmal;0701234567;ar\n" + strings.Repeat("a;", 250_000) + "\n")
	t.Logf("the bomb is %d KB, the wide file %d KB", len(bomb)>>10, len(wide)>>10)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"lista.xlsx", bomb, "packas upp till mer än importen kan läsa"},
		{"lista.csv", wide, "Rad 3 har fler än 200 kolumner"},
	} {
		peak := measurePeak(t, func() {
			r := x.uploadAs(t, c, tc.name, tc.data)
			mustHave(t, tc.name, r, http.StatusUnprocessableEntity, []string{tc.want}, nil)
			if len(r.Body) > 1<<20 {
				t.Errorf("%s: a page of %d KB", tc.name, len(r.Body)>>10)
			}
		})
		if peak.heap > 300<<20 || peak.sysGrowth > 300<<20 {
			t.Errorf("%s: peak heap %d MB, %d MB more from the system; want under 300 MB", tc.name, peak.heap>>20, peak.sysGrowth>>20)
		}
	}
}

type memPeak struct{ heap, sys, sysGrowth uint64 }

// measurePeak runs f while a goroutine samples the memory statistics
// every 5 ms.
func measurePeak(t *testing.T, f func()) (peak memPeak) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.Sys
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak.heap, peak.sys = max(peak.heap, ms.HeapInuse), max(peak.sys, ms.Sys)
	}
	done, wg := make(chan struct{}), sync.WaitGroup{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	// Measured also when f fails the test.
	defer func() {
		close(done)
		wg.Wait()
		sample()
		peak.sysGrowth = peak.sys - min(base, peak.sys)
		t.Logf("peak heap in use %d MB, peak from the system %d MB (%d MB more than before)", peak.heap>>20, peak.sys>>20, peak.sysGrowth>>20)
	}()
	f()
	return peak
}

// zipBomb is a real workbook whose shared strings unpack to size bytes
// and compress to a few MB. The deflate stream is built from blocks: the
// block of one 64 KB chunk of strings, once compressed, decodes to the
// same chunk again wherever the window holds the chunk before it, so it is
// repeated rather than compressing a gigabyte in the test.
func zipBomb(t testing.TB, size int) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Namn", "Telefon", "Språk"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Amal", "0701234567", "ar"})
	var wb bytes.Buffer
	if err := f.Write(&wb); err != nil {
		t.Fatal(err)
	}
	f.Close()

	head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<si><t>Namn</t></si><si><t>Telefon</t></si><si><t>Språk</t></si><si><t>Amal</t></si><si><t>0701234567</t></si><si><t>ar</t></si>`
	unit := "<si><t>x</t></si>"
	chunk := strings.Repeat(unit, (64<<10)/len(unit))
	foot := "</sst>"
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestCompression)
	fw.Write([]byte(head + chunk))
	fw.Flush()
	first := bytes.Clone(z.Bytes())
	z.Reset()
	fw.Write([]byte(chunk))
	fw.Flush()
	again := bytes.Clone(z.Bytes())
	z.Reset()
	fw.Write([]byte(foot))
	fw.Close()
	last := bytes.Clone(z.Bytes())
	repeats := (size - len(head) - len(foot)) / len(chunk)
	stream := bytes.NewBuffer(first)
	crc := crc32.ChecksumIEEE([]byte(head + chunk))
	for range repeats - 1 {
		stream.Write(again)
		crc = crc32.Update(crc, crc32.IEEETable, []byte(chunk))
	}
	stream.Write(last)
	crc = crc32.Update(crc, crc32.IEEETable, []byte(foot))
	n := len(head) + repeats*len(chunk) + len(foot)

	zr, err := zip.NewReader(bytes.NewReader(wb.Bytes()), int64(wb.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range zr.File {
		if e.Name == "xl/sharedStrings.xml" {
			continue
		}
		if err := zw.Copy(e); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: uint64(n)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(stream.Bytes())
	zw.Close()
	return out.Bytes()
}

// checkBomb reads a bomb's shared strings to the end: archive/zip checks
// the length and the checksum, so the bomb is what it says.
func checkBomb(t *testing.T, bomb []byte, size int) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range zr.File {
		if e.Name != "xl/sharedStrings.xml" {
			continue
		}
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, r)
		if err != nil || n < int64(size)-64<<10 {
			t.Fatalf("the bomb unpacks to %d bytes: %v", n, err)
		}
		return
	}
	t.Fatal("no shared strings in the bomb")
}
