// Package browsertest drives headless Chromium for Megafon's page tests
// and checks accessibility with axe-core inside the page.
//
// One Chromium process serves a whole test binary; each Browser is a tab
// in a browser context of its own (its own cookies). When Chromium or
// axe-core is missing the test is skipped, unless MEGAFON_REQUIRE_BROWSER=1
// (as in CI), when it fails.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Flags are the flags Chromium runs with on these machines (as root, in a
// container), and no others: chromedp.Headless would add --hide-scrollbars
// and --mute-audio, so each flag is named here. chromedp itself adds
// --remote-debugging-pipe, --user-data-dir and about:blank.
var Flags = []chromedp.ExecAllocatorOption{
	chromedp.Flag("headless", true),
	chromedp.Flag("no-sandbox", true),
	chromedp.Flag("disable-gpu", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("no-first-run", true),
}

// profilePrefix names the temporary user-data directories, so that
// removeStaleProfiles finds the ones earlier test binaries left behind.
const profilePrefix = "megafon-chromium-"

var (
	once        sync.Once
	browserCtx  context.Context
	startErr    error
	startTook   time.Duration
	axeScript   string
	axeErr      error
	requireFlag = os.Getenv("MEGAFON_REQUIRE_BROWSER") == "1"
)

func findChromium() (string, error) {
	if p := os.Getenv("MEGAFON_CHROMIUM"); p != "" {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium on PATH (apt-get install chromium chromium-driver)")
}

func start() {
	began := time.Now()
	axeScript, axeErr = loadAxe()
	path, err := findChromium()
	if err != nil {
		startErr = err
		return
	}
	removeStaleProfiles()
	dir, err := os.MkdirTemp("", profilePrefix)
	if err != nil {
		startErr = fmt.Errorf("start chromium: %w", err)
		return
	}
	// The browser lives until the test binary exits (the kernel then kills
	// it), so the directory outlives it; the pid lets a later run remove it.
	_ = os.WriteFile(filepath.Join(dir, "megafon-test-pid"), []byte(strconv.Itoa(os.Getpid())), 0o644)
	opts := append([]chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(dir)}, Flags...)
	alloc, _ := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, _ := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil {
		startErr = fmt.Errorf("start chromium %s: %w", path, err)
		return
	}
	browserCtx = ctx
	startTook = time.Since(began)
}

// removeStaleProfiles removes the user-data directories of test binaries
// that have exited: nothing else would, and each holds a few megabytes.
func removeStaleProfiles() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "megafon-test-pid"))
		if err != nil {
			// Without a pid (or still being made): only when clearly old.
			if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.RemoveAll(dir)
			}
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(dir)
		}
	}
}

// StartupTime is how long the shared Chromium took to start (zero before
// the first New).
func StartupTime() time.Duration { return startTook }

// loadAxe reads axe-core from node_modules at the repository's root.
func loadAxe() (string, error) {
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
		if b, err := os.ReadFile(p); err == nil {
			return string(b), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("node_modules/axe-core/axe.min.js not found (run npm ci at the repository's root)")
		}
		dir = parent
	}
}

func skipOrFail(t testing.TB, err error) {
	t.Helper()
	if requireFlag {
		t.Fatalf("browser required (MEGAFON_REQUIRE_BROWSER=1): %v", err)
	}
	t.Skipf("no browser: %v (set MEGAFON_REQUIRE_BROWSER=1 to fail instead)", err)
}

// Browser is one tab with cookies of its own.
type Browser struct {
	t   testing.TB
	ctx context.Context
}

// New opens a tab in a fresh browser context.
func New(t testing.TB) *Browser {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		skipOrFail(t, startErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The tab lives as long as the context its first action ran on, so that
	// action runs on ctx itself and not on a child with a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: open tab: %v", err)
	}
	b := &Browser{t: t, ctx: ctx}
	b.run("viewport", chromedp.EmulateViewport(1280, 900))
	return b
}

func (b *Browser) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %s: %v (at %s)", what, err, b.urlNoFail())
	}
}

// value runs one action that returns a value.
func value[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %s: %v (at %s)", what, err, b.urlNoFail())
	}
	return v
}

func (b *Browser) urlNoFail() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	u, _ := chromedp.Run(ctx, chromedp.Location())
	return u
}

// Visit loads url and waits for its body.
func (b *Browser) Visit(url string) {
	b.t.Helper()
	b.run("visit "+url, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
}

// SetViewport sets the window size: 390×844 is a phone, 1280×900 a desktop.
func (b *Browser) SetViewport(width, height int64) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateScale(1))
	}
	b.run(fmt.Sprintf("viewport %dx%d", width, height), chromedp.EmulateViewport(width, height, opts...))
}

// Click clicks the first element matching the CSS selector, and waits for
// a navigation it starts to finish.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.run("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible), chromedp.Sleep(50*time.Millisecond), chromedp.WaitReady(chromedp.CSS("body")))
}

// SendKeys types text into the element matching sel.
func (b *Browser) SendKeys(sel, text string) {
	b.t.Helper()
	b.run("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// SetValue sets a form field's value directly (selects, dates).
func (b *Browser) SetValue(sel, value string) {
	b.t.Helper()
	b.run("set "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// Submit submits the form that contains sel.
func (b *Browser) Submit(sel string) {
	b.t.Helper()
	b.run("submit "+sel, chromedp.Submit(chromedp.CSS(sel)), chromedp.Sleep(50*time.Millisecond), chromedp.WaitReady(chromedp.CSS("body")))
}

// Text is the visible text of the first element matching sel.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// WaitVisible waits until an element matching sel is visible.
func (b *Browser) WaitVisible(sel string) {
	b.t.Helper()
	b.run("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// Eval evaluates JavaScript (awaiting a promise) and stores its JSON
// result in out.
func (b *Browser) Eval(js string, out any) {
	b.t.Helper()
	raw := value(b, "eval", chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			b.t.Fatalf("browser: eval result %s: %v", raw, err)
		}
	}
}

// URL is the address of the page shown.
func (b *Browser) URL() string {
	b.t.Helper()
	return value(b, "location", chromedp.Location())
}

// Screenshot saves a PNG of the whole page.
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	buf := value(b, "screenshot", chromedp.FullScreenshot(100))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// ClearCookies signs the tab out of everything.
func (b *Browser) ClearCookies() {
	b.t.Helper()
	b.run("clear cookies", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
}

// SetLanguage switches Megafon's interface language with its own switch,
// as a person would.
func (b *Browser) SetLanguage(base, lang string) {
	b.t.Helper()
	b.Visit(base + "/")
	var current string
	b.Eval(`document.querySelector(".langswitch .current").dataset.code`, &current)
	if current != lang {
		b.PickLanguage(lang)
	}
}

// PickLanguage opens the language switch on the page shown and picks lang.
func (b *Browser) PickLanguage(lang string) {
	b.t.Helper()
	b.Click(`.langswitch summary`)
	b.Click(`.langswitch button[value="` + lang + `"]`)
	b.run("wait for the page in "+lang, chromedp.WaitReady(chromedp.CSS(`.langswitch .current[data-code="`+lang+`"]`)))
}

// Violation is one axe-core rule a page breaks.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// Axe runs axe-core's WCAG 2.0 and 2.1 A and AA rules on the page shown
// and returns what it found; a failure to run it is reported on t.
func (b *Browser) Axe(t testing.TB) []Violation {
	t.Helper()
	if axeErr != nil {
		skipOrFail(t, axeErr)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	// A page loaded since the last run no longer has axe: inject it again.
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe !== "undefined"`))
	if err == nil && !loaded {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeScript))
	}
	if err != nil {
		t.Fatalf("browser: load axe-core at %s: %v", b.urlNoFail(), err)
	}
	const js = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browser: run axe-core at %s: %v", b.urlNoFail(), err)
	}
	return vs
}

// FormatViolations lists violations one rule a line, with up to three of
// the nodes that break it.
func FormatViolations(vs []Violation) string {
	var sb strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&sb, "\n  %s (%s): %s", v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 3 {
				fmt.Fprintf(&sb, "\n    … and %d more", len(v.Nodes)-3)
				break
			}
			fmt.Fprintf(&sb, "\n    %v %s", n.Target, truncate(n.HTML, 160))
		}
	}
	return sb.String()
}

// AssertNoAxeViolations fails the test with a readable list of what axe
// found on the page; page names it in the message.
func (b *Browser) AssertNoAxeViolations(t testing.TB, page string) {
	t.Helper()
	if vs := b.Axe(t); len(vs) > 0 {
		t.Errorf("axe: %d violations on %s (at %s):%s", len(vs), page, b.urlNoFail(), FormatViolations(vs))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Slow3G is WebPageTest's "3G Slow" profile: 400 ms round trip, 400 kbit/s
// each way. With a processor four times slower it is the phone of a
// volunteer on a poor connection.
var Slow3G = network.Conditions{Latency: 400, DownloadThroughput: 400_000 / 8, UploadThroughput: 400_000 / 8}

// Throttle makes the tab's network as slow as c and its processor cpu times
// slower (1 is full speed).
func (b *Browser) Throttle(c network.Conditions, cpu float64) {
	b.t.Helper()
	b.run("throttle", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{&c}}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: cpu})
		return err
	}))
}

// Load is what the browser measured of the page shown: from the start of
// its navigation to the first paint of content and to the load event, and
// the bytes it fetched over the network (the page and what it loaded; what
// came from the cache counts nothing).
type Load struct {
	FirstContentfulPaint, Loaded time.Duration
	Bytes                        int64
	Requests, FromNetwork        int
}

// MeasureLoad reads the Navigation and Resource Timing of the page shown.
func (b *Browser) MeasureLoad() Load {
	b.t.Helper()
	for i := 0; i < 600; i++ { // the load event, within a minute
		var state string
		b.Eval(`document.readyState`, &state)
		if state == "complete" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var m struct {
		FCP, Load      float64
		Bytes          int64
		Requests, Sent int
	}
	b.Eval(`(() => {
	  const nav = performance.getEntriesByType("navigation")[0];
	  const res = performance.getEntriesByType("resource");
	  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
	  const all = [nav, ...res];
	  return {FCP: fcp ? fcp.startTime : 0, Load: nav.loadEventEnd || performance.now(),
	    Bytes: all.reduce((n, e) => n + (e.transferSize || 0), 0),
	    Requests: all.length, Sent: all.filter(e => e.transferSize > 0).length};
	})()`, &m)
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	return Load{FirstContentfulPaint: ms(m.FCP), Loaded: ms(m.Load), Bytes: m.Bytes, Requests: m.Requests, FromNetwork: m.Sent}
}
