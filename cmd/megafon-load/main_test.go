package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A short run against a server started by serve: two volunteers make
// calls without a failure.
func TestServeAndRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"-db", filepath.Join(t.TempDir(), "load.db"), "-addr", addr, "-contacts", "200", "-volunteers", "2"})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 300 {
			t.Fatalf("server did not start: %v", err)
		}
		select {
		case err := <-done:
			t.Fatalf("serve: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-url", "http://" + addr, "-volunteers", "2", "-duration", "2s"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), " 0 failures") || !strings.Contains(out.String(), "p99") {
		t.Fatalf("run:\n%s", out.String())
	}
	t.Log(out.String())
}

func TestRunTalksToThisMachineOnly(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-url", "http://example.com"}, {"-url", "http://10.0.0.1:8089"}, {"-volunteers", "100000"}, {"-duration", "1h"}} {
		if err := run(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("run %v: no error", args)
		}
	}
	if err := serve(context.Background(), []string{"-addr", "0.0.0.0:8089"}); err == nil {
		t.Error("serve on every interface: no error")
	}
}

func TestPercentiles(t *testing.T) {
	t.Parallel()
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p50, p99 := percentiles(ds)
	if p50 != 51*time.Millisecond || p99 != 100*time.Millisecond {
		t.Fatalf("p50 %v, p99 %v", p50, p99)
	}
	if a, b := percentiles(nil); a != 0 || b != 0 {
		t.Fatal("empty")
	}
}
