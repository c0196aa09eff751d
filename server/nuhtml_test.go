package server_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// nuChecker collects the HTML of crawled pages and runs the W3C Nu HTML
// checker (vnu.jar from npm, on the machine's Java) over all of them at
// once: one JVM start for hundreds of pages.
type nuChecker struct {
	dir   string
	mu    sync.Mutex
	pages map[string]string // file name -> what it was (who, language, path)
}

func newNuChecker(t *testing.T) *nuChecker {
	return &nuChecker{dir: t.TempDir(), pages: map[string]string{}}
}

// Add keeps a page's HTML to check.
func (n *nuChecker) Add(what, body string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	name := fmt.Sprintf("p%05d.html", len(n.pages))
	n.pages[name] = what
	os.WriteFile(filepath.Join(n.dir, name), []byte(body), 0o600)
}

// Check runs the checker and fails the test on every error, grouped by
// message with the pages it was found on. Without Java or vnu.jar it skips
// unless MEGAFON_REQUIRE_BROWSER=1 (as in CI), when it fails.
func (n *nuChecker) Check(t *testing.T) {
	t.Helper()
	jar, err := filepath.Abs(filepath.Join("..", "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
	if err == nil {
		_, err = os.Stat(jar)
	}
	if err == nil {
		_, err = exec.LookPath("java")
	}
	if err != nil {
		if os.Getenv("MEGAFON_REQUIRE_BROWSER") == "1" {
			t.Fatalf("the Nu HTML checker needs java and node_modules/vnu-jar (npm ci): %v", err)
		}
		t.Skipf("no Nu HTML checker: %v", err)
	}
	out, err := exec.Command("java", "-Xss8m", "-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always", n.dir).CombinedOutput()
	if err != nil {
		t.Fatalf("vnu: %v\n%s", err, out)
	}
	var report struct {
		Messages []struct {
			URL, Type, Message, Extract string
			Line                        int `json:"lastLine"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu output: %v\n%.2000s", err, out)
	}
	byMessage := map[string][]string{}
	for _, m := range report.Messages {
		page := n.pages[filepath.Base(m.URL)]
		byMessage[m.Message] = append(byMessage[m.Message], fmt.Sprintf("%s line %d: %s", page, m.Line, strings.TrimSpace(m.Extract)))
	}
	keys := make([]string, 0, len(byMessage))
	for k := range byMessage {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(byMessage[keys[i]]) > len(byMessage[keys[j]]) })
	for _, k := range keys {
		where := byMessage[k]
		t.Errorf("Nu HTML checker: %d× %s\n  first: %s", len(where), k, where[0])
	}
	t.Logf("Nu HTML checker: %d pages, %d errors", len(n.pages), len(report.Messages))
}
