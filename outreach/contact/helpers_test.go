package contact_test

import (
	"strconv"
	"strings"

	"megafon/platform/problem"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }
func itoa(n int64) string         { return strconv.FormatInt(n, 10) }

func isProblem(err error, key string) bool {
	l, ok := problem.As(err)
	if !ok {
		return false
	}
	for _, p := range l {
		if p.Key == key {
			return true
		}
	}
	return false
}
