package web

import (
	"net/netip"
	"testing"
)

func TestTheClientAddressComesFromXForwardedForOnlyThroughTrustedProxies(t *testing.T) {
	trusted, err := ParsePrefixes("10.0.0.0/8, 192.0.2.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		peer      string
		forwarded []string
		trusted   []netip.Prefix
		want      string
	}{
		{"no proxy configured: the header is ignored", "203.0.113.9", []string{"198.51.100.1"}, nil, "203.0.113.9"},
		{"an untrusted peer cannot name another address", "203.0.113.9", []string{"198.51.100.1"}, trusted, "203.0.113.9"},
		{"a trusted proxy names the client", "192.0.2.1", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"a forged left part is skipped: the right-most untrusted address", "10.1.1.1", []string{"6.6.6.6, 198.51.100.1, 10.2.2.2"}, trusted, "198.51.100.1"},
		{"several headers are one list", "10.1.1.1", []string{"6.6.6.6", "198.51.100.1"}, trusted, "198.51.100.1"},
		{"only trusted hops: the left-most", "10.1.1.1", []string{"10.3.3.3, 10.2.2.2"}, trusted, "10.3.3.3"},
		{"garbage stops the walk at the last trusted hop", "10.1.1.1", []string{"198.51.100.1, nonsense, 10.2.2.2"}, trusted, "10.2.2.2"},
		{"a trusted proxy without the header", "192.0.2.1", nil, trusted, "192.0.2.1"},
		{"IPv6 loopback proxy", "::1", []string{"2001:db8::7"}, trusted, "2001:db8::7"},
	}
	for _, tt := range tests {
		if got := clientAddr(tt.peer, tt.forwarded, tt.trusted); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/8, proxy.example"); err == nil {
		t.Error("a host name was taken as an address")
	}
}
