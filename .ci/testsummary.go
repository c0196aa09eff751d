// Command testsummary reads `go test -json` on stdin, prints one line per
// package as it finishes, and at the end the output of every failed test or
// build, the skipped tests with their reasons, and the totals. It exits 1
// when anything failed, so CI does not depend on reading the log.
//
// Usage: go test -json ./... | go run .ci/testsummary.go
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
)

type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
	Elapsed    float64
}

type counts struct{ pass, fail, skip int }

func main() {
	var (
		output   = map[string]*strings.Builder{} // package/test → its output
		perPkg   = map[string]*counts{}
		failed   []string // package/test keys, or packages whose build failed
		skipped  []string
		pkgFails []string
		total    counts
		running  = map[string][]string{} // package → tests started and not ended
		pkgs     = map[string]string{}   // package → ok, FAIL, no tests
	)
	out := func(key string) *strings.Builder {
		if output[key] == nil {
			output[key] = &strings.Builder{}
		}
		return output[key]
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // not JSON: pass it on
			continue
		}
		if e.Action == "build-output" || e.Action == "build-fail" {
			if e.Action == "build-output" {
				out("build " + e.ImportPath).WriteString(e.Output)
			}
			continue
		}
		key := e.Package
		if e.Test != "" {
			key += " " + e.Test
		}
		if perPkg[e.Package] == nil {
			perPkg[e.Package] = &counts{}
		}
		c := perPkg[e.Package]
		switch e.Action {
		case "run":
			running[e.Package] = append(running[e.Package], key)
		case "output":
			out(key).WriteString(e.Output)
		case "pass", "fail", "skip":
			if e.Test == "" {
				status := map[string]string{"pass": "ok", "fail": "FAIL", "skip": "no tests"}[e.Action]
				pkgs[e.Package] = status
				if e.Action == "fail" {
					pkgFails = append(pkgFails, e.Package)
				}
				if e.Action != "skip" {
					fmt.Printf("%-4s %-50s %6.1fs  %d passed, %d skipped, %d failed\n", status, e.Package, e.Elapsed, c.pass, c.skip, c.fail)
				}
				continue
			}
			running[e.Package] = slices.DeleteFunc(running[e.Package], func(k string) bool { return k == key })
			switch e.Action {
			case "pass":
				c.pass++
				total.pass++
			case "fail":
				c.fail++
				total.fail++
				failed = append(failed, key)
			case "skip":
				c.skip++
				total.skip++
				skipped = append(skipped, key)
			}
		}
	}

	if len(skipped) > 0 {
		fmt.Printf("\nSkipped tests (%d):\n", len(skipped))
		for _, k := range skipped {
			fmt.Printf("  %s: %s\n", k, reason(output[k]))
		}
	}
	for _, k := range failed {
		fmt.Printf("\n--- FAIL %s\n%s", k, output[k])
	}
	// A package can fail without a failed test: a build error, a panic in
	// TestMain, a timeout.
	var brokenPkgs []string
	for _, p := range pkgFails {
		if perPkg[p].fail == 0 {
			brokenPkgs = append(brokenPkgs, p)
			if b := output["build "+p]; b != nil {
				fmt.Printf("\n--- BUILD FAILED %s\n%s", p, b)
			} else {
				// A panic or a timeout ends the binary inside a test that
				// then never reports its end: its output says what happened.
				fmt.Printf("\n--- FAIL %s\n", p)
				for _, k := range running[p] {
					fmt.Print(output[k])
				}
				fmt.Print(output[p])
			}
		}
	}
	// Build failures of packages without tests of their own still show.
	var buildOnly []string
	for k := range output {
		if p, ok := strings.CutPrefix(k, "build "); ok && pkgs[p] == "" {
			buildOnly = append(buildOnly, p)
		}
	}
	sort.Strings(buildOnly)
	for _, p := range buildOnly {
		fmt.Printf("\n--- BUILD FAILED %s\n%s", p, output["build "+p])
	}

	n := map[string]int{}
	for _, s := range pkgs {
		n[s]++
	}
	fmt.Printf("\nSummary: packages %d ok, %d failed, %d without tests\n", n["ok"], n["FAIL"], n["no tests"])
	// The closing line in the plain form that CI's reader counts.
	fmt.Printf("tests: %d passed, %d failed, %d skipped\n", total.pass, total.fail, total.skip)
	if len(pkgFails) > 0 || len(buildOnly) > 0 {
		fmt.Printf("FAILED: %s\n", strings.Join(append(pkgFails, buildOnly...), ", "))
		os.Exit(1)
	}
}

// reason is the last line a skipped test wrote, which is where t.Skip puts
// its message.
func reason(b *strings.Builder) string {
	if b == nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "--- SKIP") && !strings.HasPrefix(l, "=== ") {
			return l
		}
	}
	return ""
}
