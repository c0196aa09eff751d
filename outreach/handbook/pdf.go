package handbook

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoPDFRenderer means that no Chromium was found to print the handbook
// with. The web layer then offers the print-friendly page instead, which
// the reader's own browser prints.
var ErrNoPDFRenderer = errors.New("no Chromium found to render PDF")

// ChromiumEnv names the environment variable that points to the Chromium
// (or Chrome) binary to use, when it is not on PATH under a usual name.
const ChromiumEnv = "MEGAFON_CHROMIUM"

// chromiumNames are the names Debian, Ubuntu and Google give the binary.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// FindChromium returns the path of the browser that PrintToPDF uses: the
// one named by MEGAFON_CHROMIUM, or else the first of chromium,
// chromium-browser, google-chrome, google-chrome-stable on PATH. It returns
// an error wrapping ErrNoPDFRenderer when there is none.
func FindChromium() (string, error) {
	if p := os.Getenv(ChromiumEnv); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s=%s: %w: %v", ChromiumEnv, p, ErrNoPDFRenderer, err)
		}
		return path, nil
	}
	for _, name := range chromiumNames {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("looked for %s and $%s: %w", strings.Join(chromiumNames, ", "), ChromiumEnv, ErrNoPDFRenderer)
}

// ChromiumAvailable reports whether PrintToPDF can run here.
func ChromiumAvailable() bool {
	_, err := FindChromium()
	return err == nil
}

// DefaultPDFTimeout bounds one rendering, from starting the browser to
// having the PDF, when PDFOptions.Timeout is zero.
const DefaultPDFTimeout = 60 * time.Second

// PDFOptions are the settings of PrintToPDF. The zero value prints A4 in
// portrait with 15 mm margins, unless the page's CSS sets @page { size }.
type PDFOptions struct {
	// Timeout bounds the whole rendering; zero means DefaultPDFTimeout.
	Timeout time.Duration
	// Landscape turns the paper.
	Landscape bool
	// Chromium is the browser binary; empty means FindChromium.
	Chromium string
	// Assets are files that the page may refer to by a relative URL, such
	// as a stylesheet or images, served beside it. Nil serves nothing else.
	Assets fs.FS
}

// PrintToPDF renders a complete, print-friendly HTML page to PDF with
// headless Chromium, so that Arabic and Dari are shaped and laid out right to
// left and Tigrinya gets its Ethiopic glyphs from the system's fonts, exactly
// as a browser shows them. The page must carry its own lang and dir
// attributes.
//
// Each call starts its own browser with a fresh temporary profile and stops
// it before returning, so no state is shared between calls. The page is
// served from a one-off listener on 127.0.0.1 under an unguessable path,
// and the browser is told to resolve no other host, so a page cannot reach
// the network. It returns an error wrapping ErrNoPDFRenderer when there is
// no browser, and one wrapping context.DeadlineExceeded when the rendering
// takes longer than the timeout.
func PrintToPDF(ctx context.Context, html []byte, opts PDFOptions) ([]byte, error) {
	bin := opts.Chromium
	if bin == "" {
		var err error
		if bin, err = FindChromium(); err != nil {
			return nil, err
		}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultPDFTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	pageURL, stop, err := servePage(html, opts.Assets)
	if err != nil {
		return nil, fmt.Errorf("print to PDF: %w", err)
	}
	defer stop()

	// Start from chromedp's defaults (headless, no first run, no background
	// networking, no sync, no extensions, /tmp instead of /dev/shm) and add
	// what Debian's Chromium needs as root in a container. With no
	// user-data-dir flag, chromedp makes a fresh temporary profile and
	// removes it, killing any leftover child process, when the browser stops.
	allocOpts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, allocOpts...)
	defer acancel() // waits for the browser process to exit
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

	pdf, err := chromedp.Run(bctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
			return nil, fmt.Errorf("load page: %w", err)
		}
		// Fonts load lazily; printing before they are ready would print
		// fallback glyphs.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
			return nil, fmt.Errorf("wait for fonts: %w", err)
		}
		return chromedp.Run(ctx, chromedp.PrintToPDF(
			chromedp.PDFPaper(chromedp.PaperA4),
			chromedp.PDFMargin(15/25.4),
			chromedp.PDFPreferCSSPageSize(),
			chromedp.PDFPrintBackground(),
			chromedp.PDFOutlineAndTagged(), // headings as bookmarks; structure for screen readers
			func(p *page.PrintToPDFParams) {
				if opts.Landscape {
					p.Landscape = new(true)
				}
			},
		))
	})
	if err != nil {
		return nil, fmt.Errorf("print to PDF: %w", err)
	}

	// Close the browser gracefully, bounded, so that it exits before its
	// profile is removed; bcancel and acancel then kill whatever is left.
	cctx, ccancel := context.WithTimeout(bctx, 5*time.Second)
	defer ccancel()
	_ = chromedp.Cancel(cctx)

	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, fmt.Errorf("print to PDF: browser returned %d bytes that are not a PDF", len(pdf))
	}
	return pdf, nil
}

// servePage serves html at a random path on a loopback port, and assets
// beside it, until stop is called.
func servePage(html []byte, assets fs.FS) (pageURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen on loopback: %w", err)
	}
	prefix := "/" + rand.Text() + "/"
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(html)
	})
	if assets != nil {
		mux.Handle("GET "+prefix, http.StripPrefix(prefix, http.FileServerFS(assets)))
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String() + prefix, func() { srv.Close() }, nil
}
