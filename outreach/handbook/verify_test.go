package handbook

import "testing"

func TestTheAuthorVerifiesOnlyWhenNobodyElseCan(t *testing.T) {
	for _, c := range []struct {
		verifier, author int64
		others           int
		alone, refused   bool
	}{
		{verifier: 2, author: 1, others: 1},
		{verifier: 2, author: 1, others: 0},
		{verifier: 2, author: 0, others: 3}, // the author's account was deleted
		{verifier: 1, author: 1, others: 0, alone: true},
		{verifier: 1, author: 1, others: 1, refused: true},
	} {
		alone, err := SecondVerifier(c.verifier, c.author, c.others)
		if alone != c.alone || (err != nil) != c.refused {
			t.Errorf("%+v: alone %v, err %v", c, alone, err)
		}
	}
}
