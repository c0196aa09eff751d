package handbook

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// needChromium skips the test when no browser is installed, unless
// MEGAFON_REQUIRE_BROWSER=1 says that this machine must have one.
func needChromium(t *testing.T) {
	t.Helper()
	if ChromiumAvailable() {
		return
	}
	if os.Getenv("MEGAFON_REQUIRE_BROWSER") == "1" {
		t.Fatal("MEGAFON_REQUIRE_BROWSER=1 but no Chromium: install Debian's chromium or set MEGAFON_CHROMIUM")
	}
	t.Skip("no Chromium; set MEGAFON_REQUIRE_BROWSER=1 to make this a failure")
}

// samplePage is a printed handbook page in the scripts that are hardest to
// get right: Swedish, Arabic and Dari right to left, and Tigrinya in
// Ethiopic. The Arabic section wraps the address in <bdi dir="ltr"> as the
// handbook's templates must; the Dari one shows what happens without
// (the bidi algorithm prints "se.1177").
const samplePage = `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>Handbok: Covid-19 information</title>
<style>
  body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Sans Ethiopic", sans-serif; font-size: 13pt; }
  section { border-top: 1px solid #888; padding: 4mm 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 15pt; margin: 0 0 2mm; }
  .marker { font-size: 9pt; color: #555; }
</style>
</head>
<body>
<h1>Handbok: Covid-19 information</h1>
<section lang="sv">
  <h2>Var kan jag vaccinera mig?</h2>
  <p>Boka tid på 1177.se eller ring din vårdcentral. Vaccinet är gratis för alla över 18 år.</p>
  <p class="marker">Källa: Folkhälsomyndigheten · Giltig till 2021-06-30</p>
</section>
<section lang="ar" dir="rtl">
  <h2>أين يمكنني الحصول على اللقاح؟</h2>
  <p>احجز موعدًا عبر <bdi dir="ltr">1177.se</bdi> أو اتصل بمركز الرعاية الصحية. اللقاح مجاني لجميع من تجاوزوا ١٨ عامًا.</p>
</section>
<section lang="prs" dir="rtl">
  <h2>کجا می‌توانم واکسین بزنم؟</h2>
  <p>از طریق 1177.se وقت بگیرید یا به مرکز صحی خود زنگ بزنید. واکسین برای همه بالای ۱۸ سال رایگان است.</p>
</section>
<section lang="ti">
  <h2>ክታበት ኣበይ ክረክብ እኽእል?</h2>
  <p>ብ 1177.se ቆጸራ ሓዙ ወይ ናብ ማእከል ጥዕና ደውሉ። ክታበት ንኹሎም ልዕሊ 18 ዓመት ብናጻ እዩ።</p>
</section>
</body>
</html>`

func TestPrintToPDFRendersEveryScriptOfTheHandbook(t *testing.T) {
	needChromium(t)
	start := time.Now()
	pdf, err := PrintToPDF(context.Background(), []byte(samplePage), PDFOptions{})
	if err != nil {
		t.Fatalf("PrintToPDF: %v", err)
	}
	t.Logf("rendered %d bytes in %v", len(pdf), time.Since(start).Round(time.Millisecond))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "handbook.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o600); err != nil {
		t.Fatal(err)
	}

	// Fonts: without one that has Ethiopic glyphs, Tigrinya prints as boxes.
	if _, err := exec.LookPath("pdffonts"); err == nil {
		out, err := exec.Command("pdffonts", pdfPath).CombinedOutput()
		if err != nil {
			t.Fatalf("pdffonts: %v\n%s", err, out)
		}
		for _, want := range []string{"Ethiopic", "Arabic"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("no %s font in the PDF (on Debian: apt install fonts-noto-core):\n%s", want, out)
			}
		}
	}
	// Text: every language can be found again in the PDF.
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", pdfPath, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		for _, want := range []string{"vaccinera", "ክታበት", "1177.se"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("the PDF's text lacks %q:\n%s", want, out)
			}
		}
	}
	// Image: page 1 as PNG, for a person to look at. MEGAFON_PDF_PNG=path
	// keeps a copy, and the PDF beside it.
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		prefix := filepath.Join(dir, "page")
		if out, err := exec.Command("pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
		png, err := os.ReadFile(prefix + ".png")
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Fatalf("pdftoppm made no PNG: %v", err)
		}
		if keep := os.Getenv("MEGAFON_PDF_PNG"); keep != "" {
			if err := os.WriteFile(keep, png, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(strings.TrimSuffix(keep, ".png")+".pdf", pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("page 1 written to %s", keep)
		}
	}
}

var mediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)

func TestPrintToPDFServesAssetsAndHonoursCSSPageSize(t *testing.T) {
	needChromium(t)
	assets := fstest.MapFS{"print.css": {Data: []byte(`@page { size: A5; margin: 10mm } body { font-family: sans-serif }`)}}
	html := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A5</title>
<link rel="stylesheet" href="print.css"></head><body><p>A5 page</p></body></html>`
	pdf, err := PrintToPDF(context.Background(), []byte(html), PDFOptions{Assets: assets})
	if err != nil {
		t.Fatalf("PrintToPDF: %v", err)
	}
	m := mediaBox.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no media box in the PDF")
	}
	// A5 is 148 × 210 mm: 419.5 × 595.3 points.
	w, _ := strconv.ParseFloat(string(m[1]), 64)
	h, _ := strconv.ParseFloat(string(m[2]), 64)
	if math.Abs(w-419.5) > 2 || math.Abs(h-595.3) > 2 {
		t.Fatalf("page is %.1f × %.1f points, want A5 (419.5 × 595.3): the stylesheet was not served", w, h)
	}
}

func TestPrintToPDFGivesUpAtItsTimeoutAndLeavesNothingBehind(t *testing.T) {
	needChromium(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the browser's profile goes
	_, err := PrintToPDF(context.Background(), []byte(samplePage), PDFOptions{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("PrintToPDF with a 50 ms timeout = %v, want a deadline error", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("left behind in TMPDIR: %v", left)
	}
}

func TestWithoutChromiumThereIsNoPDFRenderer(t *testing.T) {
	t.Setenv(ChromiumEnv, filepath.Join(t.TempDir(), "no-such-chromium"))
	if ChromiumAvailable() {
		t.Fatal("ChromiumAvailable with a missing binary")
	}
	_, err := PrintToPDF(context.Background(), []byte(samplePage), PDFOptions{})
	if !errors.Is(err, ErrNoPDFRenderer) {
		t.Fatalf("PrintToPDF = %v, want ErrNoPDFRenderer", err)
	}
}
