package auth

import "testing"

func BenchmarkDefaultArgon2(b *testing.B) {
	for i := 0; i < b.N; i++ {
		DefaultArgon2.Hash("korrekt häst batteri")
	}
}
