package account_test

import (
	"strconv"
	"strings"

	"megafon/platform/audit"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return ""
}

func auditFilter(action string) audit.Filter { return audit.Filter{Action: action} }
